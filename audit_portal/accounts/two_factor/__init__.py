"""Two-step verification (双因素认证): a time-based code from an authenticator app (django-otp's
TOTP device) after the password, with ten one-time recovery codes (its static device) for a lost
phone.

Staff and administrators must use it (``User.needs_second_factor``, switched by the
``TWO_FACTOR_REQUIRED`` setting); anyone else may turn it on from the account page, and is then
asked for a code at every sign-in too. Until the code is given the session is signed in but not
verified, and ``SecondFactorMiddleware`` sends every page to the code (or enrolment) page; the
API's session authentication refuses such a session. Wrong codes count as failed logins in
django-axes, so the same five failures lock the username for 15 minutes.
"""
