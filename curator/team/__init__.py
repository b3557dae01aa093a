"""The team folder: four eyes between people on different laptops (issue 19).

Each library stays on its own disk. People exchange immutable, signed files in a shared
team folder (a network drive, a synced SharePoint library, or files passed by email):

- :mod:`keys` each person's Ed25519 signing key, kept in their own config folder;
- :mod:`sealed` the signed envelope every team file is, and reading one safely;
- :mod:`register` the service's ``team.json`` (experts, keys, themes, leads) and joining;
- :mod:`folder` where files go in the team folder, and the queue of files waiting to go out;
- :mod:`submissions` drafts sent for approval, and taking one in on the lead's side;
- :mod:`decisions` a lead's signed approval or send-back, and applying one back home;
- :mod:`sync` one pass over the folder: send what waits, take in what is new;
- :mod:`releases` a signed portal bundle and checking one.

docs/team-folder.md explains the set-up; ``schema/`` holds the files' JSON Schemas.
"""
