"""Clips from the browser (issue 20): the native messaging protocol, the host manifests
each browser needs, the ``curator:`` link scheme, and turning a captured page into a
resource through the same reading as a fetched one."""
