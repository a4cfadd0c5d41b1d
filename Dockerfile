# jubao production image: the application (target "app", used by the app,
# cron and worker services of docker-compose.yml) and the nginx proxy with
# sao's static files (target "proxy").  See docs/DEPLOYMENT.md.
FROM python:3.11-slim AS app
RUN apt-get update \
 && apt-get install -y --no-install-recommends npm postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
# The same installation as on a machine: .venv, modules linked, sao.
RUN scripts/setup.sh && rm -rf /root/.npm /root/.cache
ENV PATH=/app/.venv/bin:$PATH \
    TRYTOND_CONFIG=/app/trytond.conf \
    TRYTOND_WEB__ROOT=/app/.cache/sao/8.0.11/package \
    TRYTOND_DATABASE__PATH=/var/lib/jubao/filestore \
    TRYTOND_QUEUE__WORKER=True
RUN useradd --system --home /var/lib/jubao jubao \
 && mkdir -p /var/lib/jubao/filestore && chown -R jubao /var/lib/jubao
USER jubao
EXPOSE 8000
CMD ["deploy/run.sh", "app"]

FROM nginx:1.27 AS proxy
COPY --from=app /app/.cache/sao/8.0.11/package /usr/share/nginx/html
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
