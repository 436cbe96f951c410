"""Card-token validations per second next to the raw ECDSA P-256 verify rate, in one run.

The raw rate is `cryptography` verifying one ECDSA P-256/SHA-256 signature (the physical
limit: a validation must verify at least the token's signature). A validation is
`webeid.parse_token` + `webeid.verify` (certificate parse, path to the issuing CA, validity,
key usage, signature) on tokens of 1,000 distinct cards:
- warm: the certificate-path result is cached per certificate (a card presents the same
  certificate at every login), so one ECDSA verify per token;
- cold: caches cleared before each token, so two verifies (path and token) and two parses.
Everything runs in this process pinned to one core, in interleaved rounds (medians);
nothing touches the database or the network.

    .venv/bin/python benchmarks/identity_card_tokens.py [--rounds 5] [--seconds 1] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from _common import REPO_ROOT, machine_info, median, print_table, save_results
from idara.identity import card_crypto, pki, webeid
from idara.identity.keystore import FileKeyStore

ORIGIN = "https://idara.gov.ma"


def _rate(action: Any, seconds: float) -> tuple[float, int]:
    count, began = 0, time.perf_counter()
    deadline = began + seconds
    while True:
        for _ in range(100):
            action()
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - began), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="Per measure and round.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # one core, as one worker has

    now = datetime.now(UTC)
    store = FileKeyStore(
        Path(tempfile.mkdtemp(prefix="idara-bench-pki-")), b"bench", iterations=1000
    )
    store.create("root")
    store.create("issuing")
    root = pki.build_root(store, "root", now=now)
    issuing = pki.build_issuing(store, "issuing", root_key_id="root", root_der=root, now=now)
    anchors = webeid.TrustAnchors([issuing])
    nonce = "q4mR0Z8fN5yX1wQe7rT2uI9oP3aS6dF0gH4jK8lZ2xC="
    nonce_hash = hashlib.sha256(nonce.encode()).digest()
    tokens = []
    for i in range(args.cards):
        key = card_crypto.CardKey.generate()
        cert = pki.build_card_certificate(
            store, issuer_key_id="issuing", issuer_der=issuing, card_public_key=key.public_key(),
            cin=f"BE{i:06d}", first_name="Amina", last_name="Alaoui",
            not_before=now - timedelta(minutes=1), not_after=now + timedelta(days=365),
            base_url=ORIGIN,
        )  # fmt: skip
        token = card_crypto.web_eid_token(key, certificate=cert, origin=ORIGIN, nonce=nonce)
        tokens.append(__import__("json").dumps(token).encode())

    raw_key = ec.generate_private_key(ec.SECP256R1())
    data = webeid.signed_data(ORIGIN, nonce_hash)
    signature = raw_key.sign(data, ec.ECDSA(hashes.SHA256()))
    public = raw_key.public_key()

    def raw_verify() -> None:
        public.verify(signature, data, ec.ECDSA(hashes.SHA256()))

    position = [0]

    def validate() -> None:
        raw = tokens[position[0] % len(tokens)]
        position[0] += 1
        webeid.verify(webeid.parse_token(raw), anchors=anchors, origin=ORIGIN,
                      nonce_sha256=nonce_hash, now=now)  # fmt: skip

    def validate_cold() -> None:
        webeid._certificate.cache_clear()
        webeid._issued_by.cache_clear()
        webeid._facts.cache_clear()
        validate()

    for raw in tokens:  # warm the caches once, as a running server would be
        webeid.verify(webeid.parse_token(raw), anchors=anchors, origin=ORIGIN,
                      nonce_sha256=nonce_hash, now=now)  # fmt: skip
    # Interleaved rounds, so that the other processes of the machine weigh on all alike.
    raws, warms, colds = [], [], []
    for _ in range(args.rounds):
        raws.append(_rate(raw_verify, args.seconds)[0])
        warms.append(_rate(validate, args.seconds)[0])
        colds.append(_rate(validate_cold, args.seconds)[0])
    raw_rate, warm_rate, cold_rate = median(raws), median(warms), median(colds)
    results = {
        "machine": machine_info(),
        "cards": args.cards,
        "rounds": {"raw": raws, "warm": warms, "cold": colds},
        "raw_verify_per_s": raw_rate,
        "validations_warm_per_s": warm_rate,
        "validations_cold_per_s": cold_rate,
        "ratio_warm": warm_rate / raw_rate,
        "ratio_cold": cold_rate / raw_rate,
    }
    print_table(
        ["measure (one core)", "per second", "ratio to raw verify"],
        [
            ["raw ECDSA P-256 verify (cryptography)", raw_rate, 1.0],
            ["token validation, warm path cache", warm_rate, warm_rate / raw_rate],
            ["token validation, cold (2 verifies)", cold_rate, cold_rate / raw_rate],
        ],
    )
    path = save_results("identity_card_tokens", results, args.json)
    print(f"\nsaved {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
