FROM python:3.11-slim
RUN pip install --no-cache-dir "uv==0.13.8"
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN uv sync --no-dev && useradd --create-home hourglass && mkdir /data && chown hourglass /data
ENV PATH="/app/.venv/bin:$PATH"
USER hourglass
EXPOSE 8000
CMD ["hourglass", "serve", "--host", "0.0.0.0"]
