"""Text messages through Twilio's official library: "getting close" and "your turn" for runners who asked.

Only when the organiser set the provider's credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM);
TWILIO_API_BASE points the library at another base URL (a stand-in, in tests). Sending never raises.
"""

import logging

from twilio.base.exceptions import TwilioException
from twilio.rest import Client

log = logging.getLogger(__name__)


def configured(config):
    """True when texts can be sent."""
    return all(config.get(key) for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"))


def send(config, to, text):
    """Send one text; True if the provider took it."""
    try:
        client = Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
        if config.get("TWILIO_API_BASE"):
            client.api.base_url = config["TWILIO_API_BASE"].rstrip("/")
        client.messages.create(to=to, from_=config["TWILIO_FROM"], body=text)
        return True
    except (TwilioException, OSError) as error:
        log.warning("text to a runner failed: %s", error)
        return False
