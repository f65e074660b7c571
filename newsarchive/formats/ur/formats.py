# Urdu as CLDR writes its numbers in Pakistan: European digits and separators. Dates are
# written by articles/dates.py, in the catalogue's words.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_FORMAT = "j F Y"
