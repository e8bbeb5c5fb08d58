"""dl4mic-hub: a bilingual catalogue of deep-learning resources for microscopy.

The pipeline has one module per stage: ``load`` → ``validate`` → ``render`` → ``build``
→ ``check`` (links); ``cli`` only parses arguments and maps errors to exit codes.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: Languages of the site, primary first. Every page exists in each of them.
LANGUAGES: tuple[str, ...] = ("fr", "en")

#: Public repository; used for "suggest an edit" links and the checker's User-Agent.
REPOSITORY_URL = "https://github.com/dl4mic-hub/dl4mic-hub"

#: The site's address when none is given (a local preview server); builds pass the real one.
LOCAL_SITE_URL = "http://127.0.0.1:8000/"
