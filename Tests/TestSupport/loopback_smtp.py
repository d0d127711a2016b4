#!/usr/bin/env python3
"""Loopback SMTP server (aiosmtpd) for Lookout's tests. Prints "PORT <n>" once listening.

Each accepted message is written to DIR/<n>.eml with X-MailFrom and X-RcptTo lines first.
  --starttls CERT KEY   offer STARTTLS and require it before MAIL
  --smtps CERT KEY      implicit TLS
  --auth USER:PASS      require AUTH (only over TLS when TLS is on)
  --reply CODE TEXT     answer DATA with this reply instead of 250
"""
import argparse, os, socket, ssl, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from loopback_common import announce


class Handler:
    def __init__(self, directory, reply):
        self.directory, self.reply, self.count = directory, reply, 0

    async def handle_DATA(self, server, session, envelope):
        if self.reply:
            return self.reply
        self.count += 1
        path = os.path.join(self.directory, "%d.eml" % self.count)
        with open(path + ".tmp", "wb") as f:
            f.write(b"X-MailFrom: " + envelope.mail_from.encode() + b"\r\n")
            f.write(b"X-RcptTo: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--starttls", nargs=2)
    ap.add_argument("--smtps", nargs=2)
    ap.add_argument("--auth")
    ap.add_argument("--reply")
    args = ap.parse_args()
    kwargs = {}
    if args.starttls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*args.starttls)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=bool(args.starttls or args.smtps))
    ssl_context = None
    if args.smtps:
        ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_context.load_cert_chain(*args.smtps)
    port = free_port()
    controller = Controller(Handler(args.dir, args.reply), hostname="127.0.0.1", port=port,
                            ssl_context=ssl_context, **kwargs)
    controller.start()
    announce(port)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()


if __name__ == "__main__":
    main()
