# syntax=docker/dockerfile:1
# catfee-worker: multi-stage build. Builder has the Swift toolchain and the -dev packages;
# the runtime image has only the shared libraries the binary links (the Swift runtime is
# linked statically). scripts/check-runtime-libs.sh BINARY checks that list against `ldd`.

FROM swift:6.3-bookworm AS builder
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      librdkafka-dev libssl-dev libcurl4-openssl-dev libmicrohttpd-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer (the manifest changes less often than the code).
# (Package.resolved* matches nothing until the package has dependencies; Package.swift always matches.)
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product catfee-worker \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/catfee-worker" /out/catfee-worker

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
# runtime-packages: the next line is the runtime package list, parsed by scripts/check-runtime-libs.sh
      librdkafka1 libssl3 libcurl4 libmicrohttpd12 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 catfee \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin catfee
COPY --from=builder /out/catfee-worker /usr/local/bin/catfee-worker
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/catfee-worker"]
CMD ["run"]
