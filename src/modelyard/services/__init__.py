"""Services: every rule about a noun lives in its module here."""
