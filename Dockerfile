# Warta in a container: a static binary (pure Go, the SQLite driver needs
# no cgo) on a base with nothing else but CA roots and time zones.
#
#   docker build -t warta .
#   docker run -d --name warta --read-only --tmpfs /tmp \
#     -v warta-data:/data -p 8080:8080 warta
#   docker exec -i warta warta user add --email you@example.com --name "Your Name" --role admin
#
# Settings come as WARTA_* variables (-e WARTA_BASE_URL=https://example.com).
# PostgreSQL's pg_dump is not in this image: back up a PostgreSQL
# database from its own server (README, "Backups").

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X warta/internal/cli.Version=${VERSION}" -o /out/warta ./cmd/warta \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/warta /usr/local/bin/warta
# The volume's mount point, owned by the image's user (65532, nonroot).
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV WARTA_DATA=/data \
    WARTA_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
# No curl here: warta asks itself (/readyz: database up, migrations current).
HEALTHCHECK --interval=30s --timeout=6s --start-period=60s --retries=3 \
  CMD ["/usr/local/bin/warta", "healthcheck", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/warta"]
CMD ["serve", "--no-demo"]
