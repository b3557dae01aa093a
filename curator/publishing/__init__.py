"""From draft to portal: the workflow, the personal-data guard, bundles and their export."""
