"""Files uploaded in the admin, unpacked safely into a folder for the importer.

A zip may hold articles, sidecars and gazetteer files. Names are never trusted: members
with absolute paths, ``..`` parts or link modes are refused, as are oversize members and
zips that unpack to more than a bounded total.
"""

import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from django.core.files.uploadedfile import UploadedFile

from .parsing import (
    ARTICLE_SUFFIXES,
    GAZETTEER_SUFFIXES,
    MAX_FILE_BYTES,
    ImportFailed,
    ImportFileError,
)

MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024
IMPORTABLE_SUFFIXES = ARTICLE_SUFFIXES | GAZETTEER_SUFFIXES


def unpack_uploads(uploads: Iterable[UploadedFile], destination: Path) -> None:
    """Writes the uploaded files (and the contents of uploaded zips) under ``destination``;
    refuses the whole upload, naming each bad file, if any is unsafe or unsupported."""
    errors: list[ImportFileError] = []
    for upload in uploads:
        name = PurePosixPath(upload.name or "upload").name
        try:
            if name.lower().endswith(".zip"):
                _unpack_zip(upload, name, destination / name)
            else:
                _write(Path(name), upload.chunks(), upload.size, destination / name)
        except ImportFileError as error:
            errors.append(error)
    if errors:
        raise ImportFailed(errors)


def _write(shown: Path, chunks: Iterable[bytes], size: int | None, target: Path) -> None:
    if target.suffix not in IMPORTABLE_SUFFIXES:
        raise ImportFileError(shown, "is not a .txt, .md, .yaml or .zip file")
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportFileError(shown, f"larger than {MAX_FILE_BYTES // 1024} KiB")
    if target.exists():
        raise ImportFileError(shown, "was uploaded twice")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)


def _unpack_zip(upload: UploadedFile, name: str, folder: Path) -> None:
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise ImportFileError(Path(name), "is not a valid zip file") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportFileError(Path(name), f"holds more than {MAX_ZIP_MEMBERS} files")
        if sum(m.file_size for m in members) > MAX_ZIP_TOTAL_BYTES:
            raise ImportFileError(Path(name), "unpacks to more than 200 MiB")
        for member in members:
            inner = PurePosixPath(member.filename)
            shown = Path(name) / member.filename
            if inner.is_absolute() or ".." in inner.parts or "\\" in member.filename:
                raise ImportFileError(shown, "has a path leading outside the zip")
            if stat.S_ISLNK(member.external_attr >> 16):
                raise ImportFileError(shown, "is a link, not a file")
            if any(part.startswith((".", "__MACOSX")) for part in inner.parts):
                continue
            with archive.open(member) as source:
                _write(
                    shown, iter(lambda: source.read(65536), b""), member.file_size, folder / inner
                )
