"""The way in: HTTP blueprints and Socket.IO handlers, sign-in, security headers and QR codes. Thin: parse,
check the role, call one action or read, answer."""
