"""Hostile input for the XSS tests: the payload corpus (payloads.txt), an archive built from
it through the importer and the admin (archive.py), and the checks pages must pass
(inspection.py)."""
