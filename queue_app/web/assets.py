"""Static files as a phone on a weak link needs them: under a path that names their version
(/static/<hash>/js/ticket.js), compressed once with gzip and brotli, cached for a year as immutable, and
served by WhiteNoise ahead of Flask.

WhiteNoise rather than Flask-Compress: it serves files straight from the WSGI layer (no request context, no
session, no per-request compression) and picks a precompressed variant by Accept-Encoding; Flask-Compress
compresses each response as it goes out. The version is a hash of every file, so a new release changes every
URL at once: a page and the modules it imports (relative imports stay inside one version) always match.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

YEAR = 365 * 24 * 3600


def static_version(folder):
    """A short hash of every file under `folder`, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def init_app(app, version):
    """Serve `app.static_folder` at /static/<version>/ from a compressed copy made once per version on this
    machine (in STATIC_BUILD_DIR: compressing takes seconds, and every process of one version shares it)."""
    built = Path(app.config["STATIC_BUILD_DIR"]) / f"static-{version}"
    if not built.exists():
        built.parent.mkdir(parents=True, exist_ok=True)
        _build(Path(app.static_folder), built)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(built), prefix=f"static/{version}/", max_age=YEAR,
                              immutable_file_test=lambda _path, _url: True)


def _build(source, target):
    """Copy the static files and add .gz and .br beside each worth compressing; processes starting together
    each build aside and the first to finish puts its copy in place."""
    aside = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=target.parent))
    shutil.copytree(source, aside, dirs_exist_ok=True)
    compressor = Compressor(quiet=True)
    for path in aside.rglob("*"):
        if path.is_file() and compressor.should_compress(path.name):
            list(compressor.compress(str(path)))
    try:
        os.rename(aside, target)
    except OSError:  # another process put its copy there first: use it
        shutil.rmtree(aside, ignore_errors=True)
