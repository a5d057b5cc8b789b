"""The naive alternative: a sequential ``requests`` + BeautifulSoup script doing the same extraction.

``python bench/naive_crawl.py URLS.json`` (proxy from ``http_proxy``). For each site, one URL after
the other (the same URLs Tremplin asked): robots.txt read with ``urllib.robotparser``, HTML parsed
with BeautifulSoup (``html.parser``) for the name, language, generator, description, licence link
and every labelled count of the visible text; JSON read with ``json``. What a researcher writes
first, and what Tremplin's numbers are compared with. Prints one JSON line: pages and values read.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.robotparser

import requests
from bs4 import BeautifulSoup

COUNT_RE = re.compile(r"([A-Za-zÀ-ÿ][\w ]{2,30}?)\s*[:=]?\s*(\d{1,3}(?:[.,\s]\d{3})+|\d+)")


def read_html(text: str) -> dict:
    soup = BeautifulSoup(text, "html.parser")
    values: dict = {}
    values["name"] = soup.title.get_text(strip=True) if soup.title else None
    html = soup.find("html")
    values["lang"] = html.get("lang") if html else None
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in ("generator", "description", "og:site_name", "application-name"):
            values[key] = meta.get("content")
    licence = soup.find(["a", "link"], rel="license")
    values["licence"] = licence.get("href") if licence else None
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    body = soup.get_text(" ", strip=True)
    values["counts"] = {label.strip().lower(): number for label, number in COUNT_RE.findall(body)[:200]}
    return values


def read_json(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    found = {}
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    found[key] = value
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item[:100])
    return found


def main() -> None:
    with open(sys.argv[1]) as urls:
        sites = json.load(urls)
    session = requests.Session()
    session.headers["User-Agent"] = "NaiveScript/1.0"
    pages = values = 0
    for urls in sites:
        robots = urllib.robotparser.RobotFileParser()
        for url in urls:
            if url.endswith("/robots.txt"):
                response = session.get(url, timeout=30)
                robots.parse(response.text.splitlines())
                pages += 1
                continue
            if not robots.can_fetch("NaiveScript", url):
                continue
            response = session.get(url, timeout=30)
            pages += 1
            content_type = response.headers.get("Content-Type", "")
            read = read_html(response.text) if "html" in content_type else read_json(response.text)
            values += len(read)
    print(json.dumps({"pages": pages, "values": values}))


if __name__ == "__main__":
    main()
