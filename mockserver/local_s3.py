"""moto's S3 started in-process beside the mock (`--with-s3`), with one moto account per mock account.

moto tells accounts apart only by access key ids it finds in its own IAM; any other key lands in the
default account 123456789012. So that the mock's accounts own separate buckets (and the manifest's
ownership rule can be exercised), `register_accounts` files each configured access key id in
moto's IAM of its own account: the first account is moto's default account, the n-th (n from 0) is
123456789012 + n (docs/decisions.md S1). moto does not check S3 signatures, so the secrets do not
matter to it. moto is imported only here, so the mock without `--with-s3` starts without it.
"""
from __future__ import annotations

import logging
import socket
from collections.abc import Mapping
from typing import Any

MOTO_DEFAULT_ACCOUNT_ID = 123456789012


def moto_account_ids(accounts: Mapping[str, str]) -> dict[str, str]:
    """Access key id -> the moto account id it is filed under."""
    return {key_id: str(MOTO_DEFAULT_ACCOUNT_ID + index) for index, key_id in enumerate(accounts)}


def register_accounts(accounts: Mapping[str, str]) -> None:
    """File every access key id (with its secret) in moto's in-process IAM under its own account."""
    from moto.iam.models import AccessKey, iam_backends

    access_key_class: Any = AccessKey  # moto's type stubs declare it abstract; it is not at run time
    for key_id, account_id in moto_account_ids(accounts).items():
        backend = iam_backends[account_id]["aws"]
        key = access_key_class(user_name=None, prefix="AKIA", account_id=account_id)
        key.access_key_id = key_id
        key.secret_access_key = accounts[key_id]
        backend.access_keys[key_id] = key


class LocalS3:
    """moto's S3 server on `host:port` (0: a free port) in a daemon thread of this process."""

    def __init__(self, host: str, port: int, accounts: Mapping[str, str]):
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        register_accounts(accounts)
        self._server: Any = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self._host = host
        self._port = port

    def start(self) -> str:
        """Start serving; return the endpoint URL. A port that cannot be bound raises OSError here
        (moto's server thread would otherwise die silently and leave `start` waiting)."""
        if self._port:
            with socket.create_server((self._host, self._port)):
                pass
        self._server.start()
        _, port = self._server.get_host_and_port()
        shown_host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{shown_host}:{port}"

    def stop(self) -> None:
        self._server.stop()
