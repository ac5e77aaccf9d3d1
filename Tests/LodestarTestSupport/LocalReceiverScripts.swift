/// The Python programs behind `LocalReceiver`. Each takes its folder first, writes what it receives there (to a
/// `.tmp` name, then renamed, so a reader never sees half a file) and writes its port to `port` once it listens.
enum LocalReceiverScripts {
    /// `receiver.py FOLDER STATUS`: an HTTP server answering every POST with STATUS.
    static let webhook = #"""
        import http.server, json, os, pathlib, signal, sys

        signal.pthread_sigmask(signal.SIG_SETMASK, set())  # the test's thread may have blocked SIGTERM

        folder, status = pathlib.Path(sys.argv[1]), int(sys.argv[2])

        def publish(name, text):
            (folder / (name + ".tmp")).write_text(text)
            os.rename(folder / (name + ".tmp"), folder / name)

        class Receiver(http.server.BaseHTTPRequestHandler):
            count = 0

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                record = {"path": self.path, "contentType": self.headers.get("Content-Type"), "body": body.decode("utf-8")}
                publish("request-%d.json" % Receiver.count, json.dumps(record))
                Receiver.count += 1
                reply = b"ok" if status < 300 else b"internal_error: the test receiver was told to fail"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *arguments):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
        publish("port", str(server.server_address[1]))
        server.serve_forever()
        """#

    /// `receiver.py FOLDER starttls CERT KEY [USER PASSWORD]` or `receiver.py FOLDER none [USER PASSWORD]`: aiosmtpd.
    static let smtp = #"""
        import asyncio, email, email.policy, json, os, pathlib, signal, ssl, sys

        signal.pthread_sigmask(signal.SIG_SETMASK, set())  # the test's thread may have blocked SIGTERM
        from aiosmtpd.smtp import SMTP, AuthResult

        folder, mode = pathlib.Path(sys.argv[1]), sys.argv[2]
        rest = sys.argv[3:]
        context = None
        if mode == "starttls":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(rest[0], rest[1])
            rest = rest[2:]
        credentials = (rest[0].encode(), rest[1].encode()) if len(rest) == 2 else None

        def publish(name, text):
            (folder / (name + ".tmp")).write_text(text)
            os.rename(folder / (name + ".tmp"), folder / name)

        def event(line):
            with open(folder / "events.log", "a") as log:
                log.write(line + "\n")

        def authenticate(server, session, envelope, mechanism, data):
            event("AUTH %s %s" % (mechanism, data.login.decode()))
            # handled=False: aiosmtpd answers 235, or 535 for wrong credentials.
            return AuthResult(success=credentials is not None and (data.login, data.password) == credentials, handled=False)

        class Handler:
            count = 0

            async def handle_EHLO(self, server, session, envelope, hostname, responses):
                event("EHLO %s tls=%s" % (hostname, session.ssl is not None))
                session.host_name = hostname
                return responses

            async def handle_STARTTLS(self, server, session, envelope):
                event("STARTTLS")
                return True

            async def handle_MAIL(self, server, session, envelope, address, options):
                event("MAIL %s" % address)
                envelope.mail_from = address
                return "250 OK"

            async def handle_RCPT(self, server, session, envelope, address, options):
                event("RCPT %s" % address)
                if address.endswith("@refused.example"):
                    return "550 5.1.1 No such user here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                number = Handler.count
                Handler.count += 1
                raw = envelope.original_content
                message = email.message_from_bytes(raw, policy=email.policy.default)
                summary = {
                    "from": envelope.mail_from, "to": envelope.rcpt_tos, "tls": session.ssl is not None,
                    "authenticated": bool(session.authenticated), "subject": str(message["Subject"]),
                    "headers": {name: str(value) for name, value in message.items()}, "body": message.get_content(),
                }
                publish("message-%d.eml" % number, raw.decode("utf-8", "replace"))
                publish("message-%d.json" % number, json.dumps(summary))
                return "250 Message accepted for delivery"

        async def main():
            loop = asyncio.get_running_loop()
            factory = lambda: SMTP(
                Handler(), hostname="mail.test", tls_context=context, require_starttls=context is not None,
                authenticator=authenticate if credentials else None, auth_require_tls=True, decode_data=False,
            )
            server = await loop.create_server(factory, "127.0.0.1", 0)
            publish("port", str(server.sockets[0].getsockname()[1]))
            await server.serve_forever()

        asyncio.run(main())
        """#
}
