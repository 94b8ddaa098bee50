"""Downloading a URL (job inputs and the Designer's Import Data share it; a check may refuse each request,
redirects included) and hiding a URL's password."""

from __future__ import annotations

import httpx
import pytest

from modelyard._urls import download, hide_password
from modelyard.errors import InvalidInput


def test_a_url_is_downloaded_under_its_last_segment_without_the_query(http_files, tmp_path):
    base, served = http_files
    (served / "table.csv").write_text("a,b\n1,2\n")
    got = download(f"{base}/table.csv?version=3", tmp_path)
    assert got == tmp_path / "table.csv" and got.read_text() == "a,b\n1,2\n"


def test_an_error_status_raises_and_names_it(http_files, tmp_path):
    base, _ = http_files
    with pytest.raises(httpx.HTTPStatusError) as error:
        download(f"{base}/missing.csv", tmp_path)
    assert error.value.response.status_code == 404


def test_check_sees_every_request_redirects_included_and_refuses_before_anything_is_written(http_files, tmp_path):
    base, served = http_files
    (served / "folder").mkdir()  # the server redirects /folder to /folder/
    seen = []
    download(f"{base}/folder", tmp_path, seen.append)
    assert seen == [f"{base}/folder", f"{base}/folder/"]

    def refuse_folders(url):
        if url.endswith("/"):
            raise InvalidInput(f"{url} is refused")

    with pytest.raises(InvalidInput, match=f"{base}/folder/ is refused"):
        download(f"{base}/folder", tmp_path / "refused", refuse_folders)
    assert not (tmp_path / "refused").exists()


def test_a_password_is_hidden_and_other_text_kept():
    assert hide_password("postgresql://me:secret@host/db") == "postgresql://me:***@host/db"
    assert hide_password("not a url") == "not a url"
