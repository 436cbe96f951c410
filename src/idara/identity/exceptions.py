"""The identity domain's stable error codes, registered with the platform's error table."""

from __future__ import annotations

from idara.web.errors import ERRORS, N_, ErrorSpec

_SIGN_IN_AGAIN = N_("Start the sign-in again from the sign-in page.")

IDENTITY_ERRORS: dict[str, ErrorSpec] = {
    # The card token (Web eID) and the card certificate.
    "card_token_malformed": ErrorSpec(
        400, N_("Unreadable card answer"), N_("The card's answer is not a valid Web eID token.")
    ),
    "card_token_too_large": ErrorSpec(
        413, N_("Card answer too large"), N_("The card's answer is larger than a token can be.")
    ),
    "card_token_format": ErrorSpec(
        400,
        N_("Unsupported card answer"),
        N_("The card's answer is not in the web-eid:1.0 format this service accepts."),
    ),
    "card_token_algorithm": ErrorSpec(
        400,
        N_("Signature algorithm refused"),
        N_("The card's answer uses a signature algorithm this service does not accept."),
    ),
    "card_certificate_malformed": ErrorSpec(
        400, N_("Unreadable card certificate"), N_("The card's certificate cannot be read.")
    ),
    "card_certificate_untrusted": ErrorSpec(
        401,
        N_("Card not recognised"),
        N_("This card was not issued by the national certification authority."),
    ),
    "card_certificate_not_yet_valid": ErrorSpec(
        401, N_("Card not yet valid"), N_("This card cannot be used before its validity date.")
    ),
    "card_certificate_expired": ErrorSpec(
        401,
        N_("Your card has expired"),
        N_("This identity card has expired. Renew it to sign in with it."),
    ),
    "card_certificate_revoked": ErrorSpec(
        401,
        N_("Your card is no longer valid"),
        N_("This card has been declared lost or has been revoked. It can no longer be used."),
    ),
    "card_certificate_key_usage": ErrorSpec(
        401,
        N_("Certificate not for sign-in"),
        N_("This certificate is not meant for signing in."),
    ),
    "card_signature_invalid": ErrorSpec(
        401,
        N_("Card signature refused"),
        N_(
            "The signature does not match this site and this challenge: it was made for "
            "another site, altered, or made by another card."
        ),
    ),
    "card_challenge_unknown": ErrorSpec(
        400, N_("No sign-in challenge"), N_("No challenge was issued to this session.")
    ),
    "card_challenge_expired": ErrorSpec(
        400, N_("The challenge has expired"), N_("The challenge is valid for 5 minutes.")
    ),
    "card_challenge_used": ErrorSpec(
        409, N_("The challenge was already used"), N_("Each challenge can be answered only once.")
    ),
    "card_blocked": ErrorSpec(
        403,
        N_("Your card is blocked"),
        N_("Three wrong PINs have blocked this card. Unblock it with your PUK code."),
    ),
    "card_pin_wrong": ErrorSpec(
        401,
        N_("Wrong PIN"),
        N_("The PIN is wrong. Attempts left before the card is blocked: %(tries_left)s."),
    ),
    "card_file_invalid": ErrorSpec(
        400, N_("Not a card file"), N_("The file you chose is not a virtual identity card.")
    ),
    # The mobile identity app (QR code).
    "app_code_unknown": ErrorSpec(
        400, N_("Unknown code"), N_("This sign-in code does not exist. Scan the QR code again.")
    ),
    "app_code_expired": ErrorSpec(
        400,
        N_("The QR code has expired"),
        N_("The QR code is valid for 2 minutes. Show a new one and scan it again."),
    ),
    "app_code_used": ErrorSpec(
        409, N_("Code already used"), N_("This sign-in code was already approved or used.")
    ),
    "app_not_approved": ErrorSpec(
        409,
        N_("Not approved yet"),
        N_("Approve the sign-in in the mobile app first, then continue."),
    ),
    # One-time code by SMS.
    "otp_invalid": ErrorSpec(
        401,
        N_("Wrong code"),
        N_("The code is wrong or has expired. Attempts left: %(attempts_left)s."),
    ),
    "otp_missing": ErrorSpec(400, N_("No code was sent"), N_("Ask for a code first.")),
    # Login sessions and abuse resistance.
    "login_locked": ErrorSpec(
        429,
        N_("Too many failed attempts"),
        N_("For your security, wait %(seconds)s seconds before trying again."),
    ),
    "login_level_too_low": ErrorSpec(
        403,
        N_("A stronger sign-in is required"),
        N_("The service you come from requires another sign-in method."),
    ),
    "login_session_expired": ErrorSpec(401, N_("Your sign-in has expired"), _SIGN_IN_AGAIN),
}

ERRORS.update(IDENTITY_ERRORS)
