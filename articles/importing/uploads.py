"""Files uploaded in the admin, unpacked safely into a folder for the importer.

A zip may hold articles, sidecars and gazetteer files. Names are never trusted: members
with absolute paths, ``..`` parts, link modes or names no file system takes are refused,
as are oversize members, damaged or encrypted ones, and uploads that unpack to more than
an import from the admin can write within a request.
"""

import lzma
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from django.core.files.uploadedfile import UploadedFile

from articles.importing.parsing import (
    ARTICLE_SUFFIXES,
    GAZETTEER_SUFFIXES,
    MAX_FILE_BYTES,
    ImportFailed,
    ImportFileError,
)

MAX_ZIP_MEMBERS = 5_000
# What one upload may unpack in all: its import must finish well inside a request and the
# database's statement timeout (ten files of 2 MiB take a few seconds; 95 took a COPY
# past the 15 s timeout). Larger sets go through manage.py import_articles.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# File systems take names of up to 255 bytes, and paths of a few thousand.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 1024
IMPORTABLE_SUFFIXES = ARTICLE_SUFFIXES | GAZETTEER_SUFFIXES


def unpack_uploads(uploads: Iterable[UploadedFile], destination: Path) -> None:
    """Writes the uploaded files (and the contents of uploaded zips) under ``destination``;
    refuses the whole upload, naming each bad file, if any is unsafe or unsupported."""
    errors: list[ImportFileError] = []
    unpacked = 0
    for upload in uploads:
        name = PurePosixPath(upload.name or "upload").name
        try:
            if name.lower().endswith(".zip"):
                unpacked += _unpack_zip(upload, name, destination / name, unpacked)
            else:
                unpacked += _check_total(Path(name), upload.size or 0, unpacked)
                _write(Path(name), upload.chunks(), upload.size, destination / name)
        except ImportFileError as error:
            errors.append(error)
    if errors:
        raise ImportFailed(errors)


def _check_total(shown: Path, size: int, unpacked: int) -> int:
    if unpacked + size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            shown,
            f"takes the upload past {MAX_UPLOAD_BYTES // 2**20} MiB, the most one import "
            "from the admin unpacks (import more with manage.py import_articles)",
        )
    return size


def _write(shown: Path, chunks: Iterable[bytes], size: int | None, target: Path) -> None:
    if target.suffix not in IMPORTABLE_SUFFIXES:
        raise ImportFileError(shown, "is not a .txt, .md, .yaml or .zip file")
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportFileError(shown, f"larger than {MAX_FILE_BYTES // 1024} KiB")
    if any(len(part.encode()) > MAX_NAME_BYTES for part in shown.parts):
        raise ImportFileError(shown, f"has a name longer than {MAX_NAME_BYTES} bytes")
    if len(str(target).encode()) > MAX_PATH_BYTES:
        raise ImportFileError(shown, f"has a path longer than {MAX_PATH_BYTES:,} bytes")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as out:
            for chunk in chunks:
                out.write(chunk)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        if target.is_file():
            raise ImportFileError(shown, "was uploaded twice") from None
        raise ImportFileError(
            shown, "has the name of a folder in the upload, or a file's name as a folder's"
        ) from None
    except OSError as error:
        raise ImportFileError(shown, f"cannot be unpacked ({error.strerror})") from None


def _unpack_zip(upload: UploadedFile, name: str, folder: Path, unpacked: int) -> int:
    """Unpacks the zip's importable members into ``folder``; what they hold, in bytes."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise ImportFileError(Path(name), "is not a valid zip file") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportFileError(Path(name), f"holds more than {MAX_ZIP_MEMBERS} files")
        size = _check_total(Path(name), sum(m.file_size for m in members), unpacked)
        for member in members:
            inner = PurePosixPath(member.filename)
            shown = Path(name) / member.filename
            if inner.is_absolute() or ".." in inner.parts or "\\" in member.filename:
                raise ImportFileError(shown, "has a path leading outside the zip")
            if stat.S_ISLNK(member.external_attr >> 16):
                raise ImportFileError(shown, "is a link, not a file")
            if any(part.startswith((".", "__MACOSX")) for part in inner.parts):
                continue
            _write(shown, _member_data(archive, member, shown), member.file_size, folder / inner)
    return size


def _member_data(archive: zipfile.ZipFile, member: zipfile.ZipInfo, shown: Path) -> Iterator[bytes]:
    """The member's data, checked against its size and CRC as it is read."""
    try:
        with archive.open(member) as source:
            while chunk := source.read(65536):
                yield chunk
    except NotImplementedError:  # a RuntimeError too
        raise ImportFileError(shown, "is compressed by a method this server cannot read") from None
    except RuntimeError:
        raise ImportFileError(shown, "is encrypted") from None
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError) as error:
        raise ImportFileError(shown, f"is damaged ({error})") from None
