"""The interface language choice, kept in a long-lived cookie (not the login session)."""

LANGUAGE_COOKIE = "lang"
#: one year: the choice outlives logins and browser restarts
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
