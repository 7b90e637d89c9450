# syntax=docker/dockerfile:1
# Build: docker build -t liberterra .
# Run:   docker run --rm -p 8080:8080 -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET liberterra
# See docs/operations.md for every variable.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# A static binary: no cgo, no libc, runs on distroless/static. The fact base
# is embedded, so the image needs nothing else.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/liberterra ./cmd/liberterra

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/liberterra /usr/local/bin/liberterra
# distroless "nonroot" is uid/gid 65532; no shell in the image.
USER 65532:65532
ENV LIBERTERRA_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/liberterra"]
CMD ["serve"]
