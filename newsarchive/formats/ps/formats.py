# Pashto as CLDR writes its numbers: Arabic decimal and thousands separators (its digits,
# Extended Arabic-Indic, are written by articles/numerals.py). Dates are written by
# articles/dates.py, in the catalogue's words.
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"
NUMBER_GROUPING = 3
DATE_FORMAT = "j F Y"
