# newswatch with its crawl workers' extra: the image of compose.yaml's coordinator and workers.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY extraction extraction
COPY crawler crawler
COPY storage storage
COPY feeds feeds
COPY scheduler scheduler
COPY fixtures fixtures
RUN pip install --no-cache-dir ".[workers]"
ENTRYPOINT ["newswatch"]
