"""Adapting labels and predictions to a charset, as CLIP4STR and PARSeq do."""
import re

#: The evaluation charset of the standard benchmarks (and of CLIP4STR's captions).
LOWERCASE_ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyz'


class CharsetAdapter:
    """Lower-cases a text if the target charset has no upper case (upper-cases it if it has no
    lower case), then removes the characters the charset lacks."""

    def __init__(self, charset: str = LOWERCASE_ALPHANUMERIC) -> None:
        self.lowercase_only = charset == charset.lower()
        self.uppercase_only = charset == charset.upper()
        self.unsupported = re.compile(f'[^{re.escape(charset)}]')

    def __call__(self, text: str) -> str:
        if self.lowercase_only:
            text = text.lower()
        elif self.uppercase_only:
            text = text.upper()
        return self.unsupported.sub('', text)
