"""Exports of a kiosk holding patient data: unreadable without their password, readable
with it; no plaintext patient data on disk."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
import pyzipper
from pypdf import PdfReader

from kiosk.export.protected import export_path, new_password, save_export

PHI = "Zebulonsky"


def test_passwords_are_new_each_time_and_easy_to_read_off_a_screen():
    passwords = {new_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){4}", password)
        assert not set(password) & set("01ilo")


def test_without_a_password_the_file_is_plain(tmp_path):
    written = save_export(tmp_path / "intake-1.json", b'{"family": "Zebulonsky"}', None)
    assert written == tmp_path / "intake-1.json"
    assert json.loads(written.read_bytes()) == {"family": PHI}


def _pdf(qapp) -> bytes:
    from kiosk.ui.pdf_export import pdf_bytes

    return pdf_bytes(f"<html><body><p>Patient: {PHI}</p></body></html>")


def test_a_pdf_is_encrypted_with_aes_256(tmp_path, qapp):
    password = new_password()
    written = save_export(tmp_path / "intake-1.pdf", _pdf(qapp), password)
    assert written.name == "intake-1.pdf"
    assert PHI.encode() not in written.read_bytes()
    reader = PdfReader(written)
    assert reader.is_encrypted
    assert reader.decrypt("wrong-password").name == "NOT_DECRYPTED"
    with pytest.raises(Exception, match="decrypt"):  # pypdf: FileNotDecryptedError
        PdfReader(written).pages[0].extract_text()
    reader = PdfReader(written)
    assert reader.decrypt(password).name != "NOT_DECRYPTED"
    assert PHI in reader.pages[0].extract_text()
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # PDF 2.0's AES-256 security handler
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"


@pytest.mark.parametrize("name", ["intakes.csv", "intake-1.json", "intake-1-bundle.json"])
def test_csv_and_json_go_into_an_aes_256_zip(tmp_path, name):
    password = new_password()
    data = f"last_name\n{PHI}\n".encode()
    written = save_export(tmp_path / name, data, password)
    assert written == export_path(tmp_path / name, password) == tmp_path / f"{name}.zip"
    assert not (tmp_path / name).exists()
    assert PHI.encode() not in written.read_bytes()
    with zipfile.ZipFile(written) as plain, pytest.raises((RuntimeError, NotImplementedError)):
        plain.read(name)  # no password: nothing
    with pyzipper.AESZipFile(written) as archive:
        assert archive.namelist() == [name]
        with pytest.raises(RuntimeError, match="password"):
            archive.read(name)
        archive.setpassword(b"wrong")
        with pytest.raises(RuntimeError):
            archive.read(name)
        archive.setpassword(password.encode())
        assert archive.read(name) == data
    raw = written.read_bytes()
    assert raw[8:10] == (99).to_bytes(2, "little")  # method 99: WinZip AES
    extra = raw.index(b"\x01\x99\x07\x00")  # the AES extra field: version, "AE", strength
    assert raw[extra + 6:extra + 8] == b"AE" and raw[extra + 8] == 3  # 3: AES-256
