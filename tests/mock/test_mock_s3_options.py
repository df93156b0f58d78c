"""The S3 options of the mock: `s3_endpoint_url` in the config file, and the command line's usage errors."""
from __future__ import annotations

import pytest

from mockserver.cli import main
from mockserver.config import ConfigError, load_config

ACCOUNTS_YAML = "accounts:\n  - {access_key_id: AKIAIOSFODNN7EXAMPLE, secret_access_key: secret}\n"


def test_config_s3_endpoint_url_is_read_and_defaults_to_none(tmp_path):
    assert load_config().s3_endpoint_url is None
    config_file = tmp_path / "config.yaml"
    config_file.write_text(ACCOUNTS_YAML + "s3_endpoint_url: http://127.0.0.1:5000/\n")
    assert load_config(config_file).s3_endpoint_url == "http://127.0.0.1:5000"


@pytest.mark.parametrize("value", ["127.0.0.1:5000", "ftp://host", "http://", "5000"])
def test_config_s3_endpoint_url_must_be_an_http_url(tmp_path, value):
    config_file = tmp_path / "config.yaml"
    config_file.write_text(ACCOUNTS_YAML + f"s3_endpoint_url: {value!r}\n")
    with pytest.raises(ConfigError, match=r"config .*config\.yaml: field s3_endpoint_url: must be an http"):
        load_config(config_file)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--with-s3", "--s3-endpoint-url", "http://127.0.0.1:5000"], "--with-s3 and --s3-endpoint-url exclude"),
        (["--s3-port", "5000"], "--s3-port needs --with-s3"),
        (["--with-s3", "--s3-port", "70000"], "--s3-port must be between 0 and 65535"),
        (["--s3-endpoint-url", "not a url"], "--s3-endpoint-url 'not a url': must be an http:// or https:// URL"),
    ],
)
def test_s3_usage_errors_are_one_line_and_exit_2(capsys, argv, message):
    assert main(["--port", "0", *argv]) == 2
    error = capsys.readouterr().err
    assert error.startswith("importexport-mock: error: ") and message in error and error.count("\n") == 1
