# Two stages: a static CGO-free build (scripts/build, the same build CI runs)
# and a small non-root runtime image with a HEALTHCHECK.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN scripts/build /out/mockserver && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mockserver /mockserver
# /data belongs to the non-root user, so a named volume mounted there (it
# copies this ownership) can hold a --state-file.
COPY --from=build --chown=65532:65532 /out/data /data
# Inside a container the server must listen on every interface. It also
# answers /__admin/health on an abstract Unix socket (no file, so a
# read-only root filesystem is fine), which the HEALTHCHECK probes first: it
# stays right when --addr is given as a flag (docker run IMAGE --addr
# 0.0.0.0:9090), which the HEALTHCHECK cannot see.
ENV MOCKSERVER_ADDR=0.0.0.0:8080 \
    MOCKSERVER_HEALTH_SOCKET=@klaviyo-mockserver
EXPOSE 8080
USER nonroot:nonroot
# No curl in this image: the binary checks itself (exit 0 when healthy).
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=5 CMD ["/mockserver", "healthcheck"]
ENTRYPOINT ["/mockserver"]
