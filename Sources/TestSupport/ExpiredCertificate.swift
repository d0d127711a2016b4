import Foundation

extension SelfSignedCertificate {
    /// A self-signed certificate (P-256) for `localhost` and `127.0.0.1` that expired yesterday.
    /// The openssl 3.0 CLI cannot backdate one, so Python's `cryptography` writes it.
    public static func expired(in directory: TemporaryDirectory) async throws -> SelfSignedCertificate {
        let certificatePath = directory.file("expired-cert.pem"), keyPath = directory.file("expired-key.pem")
        let script = """
            import datetime, ipaddress, sys
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
            from cryptography.x509.oid import NameOID
            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
            now = datetime.datetime.now(datetime.timezone.utc)
            san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(now - datetime.timedelta(days=3)).not_valid_after(now - datetime.timedelta(days=1))
                    .add_extension(san, critical=False)
                    .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                    .sign(key, hashes.SHA256()))
            open(sys.argv[1], "wb").write(cert.public_bytes(serialization.Encoding.PEM))
            open(sys.argv[2], "wb").write(key.private_bytes(serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            """
        return try await offCooperativePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, certificatePath, keyPath]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ScriptServerError(message: "python3 (cryptography) exited with \(process.terminationStatus)")
            }
            return SelfSignedCertificate(certificatePath: certificatePath, keyPath: keyPath)
        }
    }
}

extension SelfSignedCertificate {
    init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}
