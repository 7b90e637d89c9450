# syntax=docker/dockerfile:1
# Build: docker build -t liberterra .
# Run:   docker run --rm -p 8080:8080 -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET liberterra
# See docs/operations.md for every variable.

# The Go release go.mod's toolchain line names (the newest patch release).
FROM golang:1.26.11 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# A static binary: no cgo, no libc, runs on distroless/static. The fact base
# is embedded, so the image needs nothing else.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/liberterra ./cmd/liberterra
# /data, for --gaps /data/gaps.jsonl: a named volume mounted there starts
# as a copy of this directory, owned by the non-root user serve runs as.
RUN mkdir -p /out/data && chmod 0700 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/liberterra /usr/local/bin/liberterra
# distroless "nonroot" is uid/gid 65532; no shell in the image.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
# Webhooks on 8080; metrics and probes on 9090, for inside the cluster only.
ENV LIBERTERRA_ADDR=:8080 LIBERTERRA_METRICS_ADDR=:9090
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/liberterra"]
CMD ["serve"]
