"""How long each text field may be: one table for the columns, the services' validation and
the forms' inputs. It imports nothing, so the screens can use it before the database loads."""

FULL_NAME = 120
STREET = 120
HOUSE_NUMBER = 20
CITY = 80
POSTAL_CODE = 12
EMAIL = 254
NOTES = 4000
PHONES_TYPED = 200
USERNAME = 40
PASSWORD = 256
MIN_PASSWORD = 8
CODE = 40
LABEL = 120
WORKING_HOURS = 260  # a department's week: seven days of three spans, one line
SHORT_NOTE = 500
REQUEST_SUMMARY = 2000
SEARCH = 120
CHAT_MESSAGE = 4000  # one chat line, typed by a visitor or an operator
CHAT_CLIENT_ID = 64  # the sender's idempotency key of a chat line
