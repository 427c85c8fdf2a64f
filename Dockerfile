# Resync container image. Two stages: the Swift toolchain builds a release binary; a slim Debian
# runtime carries it with only what it needs at run time. No Docker engine runs on the development
# machines of this project, so this file is kept correct by review (see README, "Containers").

# ---- build ------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        libsqlite3-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies first so source edits reuse the cached layer.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
RUN swift build -c release --product resync --static-swift-stdlib
# The binary and its resource bundles (templates, static files), which it finds next to itself.
RUN bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /out \
    && cp "$bin/resync" /out/resync \
    && for bundle in "$bin"/*.resources; do [ -e "$bundle" ] && cp -R "$bundle" /out/; done; true

# ---- runtime ----------------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libsqlite3-0 libcurl4 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin resync
WORKDIR /app
COPY --from=build /out/ /app/
COPY Config ./Config
RUN mkdir -p /app/data && chown -R resync:resync /app/data
USER resync
ENV APP_ENV=production \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000 \
    DATABASE_URL=sqlite:///app/data/resync.sqlite
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
ENTRYPOINT ["/app/resync"]
CMD ["serve"]
