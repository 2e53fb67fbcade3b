#!/bin/sh
# Regenerates the X.509 test vectors of this folder with the openssl command line tool.
# The committed files are the ones the tests expect; rerunning makes new keys, serials
# and dates, so the tests' expected values would have to be updated.
set -eu
cd "$(dirname "$0")"
# 1. Self-signed RSA-2048, SHA-256, 100-year validity (notAfter as GeneralizedTime).
openssl genrsa -out ss2048.key 2048
openssl req -x509 -new -key ss2048.key -sha256 -days 36500 -set_serial 0x0102030405 \
    -subj "/C=GB/O=peernet test/CN=Self Signed 2048" -outform DER -out ss2048.der
# 2. CA (RSA-2048, SHA-256, basicConstraints CA critical, keyUsage critical).
openssl genrsa -out ca.key 2048
cat > ca.cnf <<'C'
[req]
distinguished_name = dn
[dn]
[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = DNS:leaf.example, DNS:alt.example
extendedKeyUsage = serverAuth, 1.3.6.1.4.1.311.44.3.4
[v3_crit]
basicConstraints = CA:FALSE
1.2.3.4.5.6.7 = critical, DER:04:02:AB:CD
[v3_p2p]
basicConstraints = CA:FALSE
1.3.6.1.4.1.311.44.0.1 = critical, DER:04:04:01:00:00:00
1.3.6.1.4.1.311.44.0.4 = critical, DER:04:04:01:00:02:00
1.3.6.1.4.1.311.44.3.3 = critical, DER:30:12:04:10:c7:c4:2d:f1:57:08:a0:4c:93:fc:b1:bb:19:a3:d8:c2
C
openssl req -x509 -new -key ca.key -sha256 -days 7300 -set_serial 1 -config ca.cnf \
    -extensions v3_ca -subj "/O=peernet test/CN=Test CA" -outform DER -out ca.der
# 3. Leaf (RSA-1024) issued by the CA, signed with SHA-1.
openssl genrsa -out leaf1024.key 1024
openssl req -new -key leaf1024.key -subj "/CN=leaf.example" -out leaf.csr
openssl x509 -req -in leaf.csr -CA ca.der -CAform DER -CAkey ca.key -sha1 -days 3650 \
    -set_serial 0x00f1e2d3c4b5a69788 -extfile ca.cnf -extensions v3_leaf -outform DER -out leaf.der
# 4. Leaf with an unknown critical extension (must be rejected).
openssl x509 -req -in leaf.csr -CA ca.der -CAform DER -CAkey ca.key -sha256 -days 3650 \
    -set_serial 7 -extfile ca.cnf -extensions v3_crit -outform DER -out critunknown.der
# 5. Leaf carrying Microsoft P2P extensions (critical), MD5-signed.
openssl x509 -req -in leaf.csr -CA ca.der -CAform DER -CAkey ca.key -md5 -days 3650 \
    -set_serial 0x00112233445566778899aabbccddeeff -extfile ca.cnf -extensions v3_p2p \
    -outform DER -out p2p_md5.der
# 6. PKCS#7 certificate bag holding CA and leaf; key files in PKCS#1 and PKCS#8 DER.
openssl x509 -inform DER -in ca.der -out ca.pem
openssl x509 -inform DER -in leaf.der -out leaf.pem
openssl crl2pkcs7 -nocrl -certfile ca.pem -certfile leaf.pem -outform DER -out bag.p7b
openssl x509 -inform DER -in ca.der -out ca.pem.keep
openssl rsa -in leaf1024.key -traditional -outform DER -out leaf1024_pkcs1.der
openssl rsa -in ca.key -traditional -outform DER -out ca_pkcs1.der
openssl rsa -in ss2048.key -traditional -outform DER -out ss2048_pkcs1.der
openssl pkcs8 -topk8 -nocrypt -in leaf1024.key -outform DER -out leaf1024_pkcs8.der
openssl rsa -in leaf1024.key -pubout -outform DER -out leaf1024_spki.der
openssl rsa -in leaf1024.key -RSAPublicKey_out -outform DER -out leaf1024_rsapub.der
# 7. An openssl-made signature over a message, for the cross-check test.
printf 'peernet signature cross-check\n' > msg.txt
openssl dgst -sha256 -sign leaf1024.key -out msg.sha256.sig msg.txt
rm -f leaf.csr ca.pem leaf.pem
mv ca.pem.keep ca.pem
