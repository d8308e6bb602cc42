# Two stages: a static CGO-free build (scripts/build, the same build CI runs)
# and a small non-root runtime image with a HEALTHCHECK.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN scripts/build /out/mockserver

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mockserver /mockserver
# Inside a container the server must listen on every interface.
ENV MOCKSERVER_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
# No curl in this image: the binary checks itself (exit 0 when healthy).
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=5 CMD ["/mockserver", "healthcheck"]
ENTRYPOINT ["/mockserver"]
