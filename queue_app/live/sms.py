"""Text messages through Twilio's official library: "getting close" and "your turn" for runners who asked.

Only when the organiser set the provider's credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM);
TWILIO_API_BASE points the library at another base URL (a stand-in, in tests). Sending never raises.
"""

import logging

from twilio.base.exceptions import TwilioException
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from .push import FAILED
from .push import RETIRE
from .push import SENT

log = logging.getLogger(__name__)


def configured(config):
    """True when texts can be sent."""
    return all(config.get(key) for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"))


def send(config, to, text):
    """Send one text: SENT, FAILED (for now: the provider is down or our account refused) or RETIRE (the
    provider refused this number)."""
    try:
        client = Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
        if config.get("TWILIO_API_BASE"):
            client.api.base_url = config["TWILIO_API_BASE"].rstrip("/")
        client.messages.create(to=to, from_=config["TWILIO_FROM"], body=text)
        return SENT
    except TwilioRestException as error:
        log.warning("text to a runner failed: %s", error)
        return RETIRE if error.status in (400, 404) else FAILED
    except (TwilioException, OSError) as error:
        log.warning("text to a runner failed: %s", error)
        return FAILED
    except Exception:  # noqa: BLE001 - a number the library cannot use harms nobody else
        log.exception("text to a runner failed")
        return RETIRE
