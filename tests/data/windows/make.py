#!/usr/bin/env python3
"""Writes the Windows-paste fixtures: RFC 5849 section 1.2's photos request (its published
signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=) as cmd, PowerShell and Notepad would save it.

The bytes matter, not the text: CRLF line ends, UTF-16 LE/BE with a BOM (what PowerShell's
`>` writes), UTF-8 with a BOM (Notepad). Run from this directory: python3 make.py
"""

URL = "http://photos.example.net/photos?file=vacation.jpg&size=original"
AUTH_PARAMS = (
    'oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", '
    'oauth_signature_method="HMAC-SHA1", oauth_timestamp="1191242096", '
    'oauth_nonce="kllo9940pd9333jh", oauth_version="1.0", '
    'oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"'
)
AUTH = "OAuth realm=\"Photos\", " + AUTH_PARAMS
CMD_AUTH = AUTH.replace('"', '\\"')

cases = {
    # Hand-written cmd: `^` after a space, LF and CRLF; `^` glued to the quote.
    "cmd_caret_space_lf.txt": ("utf-8", f'curl "{URL}" ^\n  -H "Authorization: {CMD_AUTH}"\n'),
    "cmd_caret_space_crlf.txt": ("utf-8", f'curl "{URL}" ^\r\n  -H "Authorization: {CMD_AUTH}"\r\n'),
    "cmd_caret_nospace_lf.txt": ("utf-8", f'curl "{URL}"^\n  -H "Authorization: {CMD_AUTH}"\n'),
    "cmd_caret_nospace_crlf.txt": ("utf-8", f'curl.exe "{URL}"^\r\n -H "Authorization: {CMD_AUTH}"\r\n'),
    # Chrome's "Copy as cURL (cmd)": every quote escaped as ^", inner quotes as \^", & as ^&.
    "cmd_copy_as_curl.txt": (
        "utf-8",
        'curl ^"' + URL.replace("&", "^&") + '^" ^\r\n  -H ^"Authorization: '
        + AUTH.replace('"', '\\^"') + '^" ^\r\n  --compressed\r\n',
    ),
    # PowerShell: curl.exe with backtick continuations, saved by `>` (UTF-16 LE, BOM).
    "ps_curl_exe_backtick.txt": (
        "utf-16",
        f"curl.exe '{URL}' `\r\n  -H 'Authorization: {AUTH}'\r\n",
    ),
    # Invoke-WebRequest with an inline hashtable (UTF-16 LE with BOM, CRLF).
    "ps_iwr_inline.txt": (
        "utf-16",
        f"Invoke-WebRequest -Uri '{URL}' -Method Get `\r\n"
        f"  -Headers @{{ Authorization = '{AUTH}'; 'User-Agent' = 'WindowsPowerShell/5.1' }}\r\n",
    ),
    # A $headers variable on the line before (UTF-16 BE with BOM).
    "ps_iwr_variable.txt": (
        "utf-16-be-bom",
        f"$headers = @{{\r\n  \"Authorization\" = '{AUTH}'\r\n}}\r\n"
        f"Invoke-RestMethod -Uri \"{URL}\" -Headers $headers -UseBasicParsing\r\n",
    ),
    # Notepad: a URL with a UTF-8 BOM and CRLF.
    "url_utf8_bom_crlf.txt": (
        "utf-8-sig",
        URL + "&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk"
        "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096&oauth_nonce=kllo9940pd9333jh"
        "&oauth_version=1.0&oauth_signature=tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\r\n",
    ),
    # A raw request saved as UTF-16 LE by PowerShell.
    "raw_http_utf16.txt": (
        "utf-16",
        "GET /photos?file=vacation.jpg&size=original HTTP/1.1\r\nHost: photos.example.net\r\nX-Forwarded-Proto: http\r\n"
        f"Authorization: {AUTH}\r\n\r\n",
    ),
}

for name, (enc, text) in cases.items():
    if enc == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(enc)
    with open(name, "wb") as f:
        f.write(data)
