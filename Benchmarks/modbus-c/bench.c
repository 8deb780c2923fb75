/* Plain C peers for `geolith-bench modbus`: the limit of one libmodbus connection.
 *
 *   modbus-c-bench client HOST PORT SIZE REQUESTS   FC3 reads of SIZE registers, one in flight;
 *                                                   prints "size=N requests=N rps=X p50_us=X p99_us=X"
 *   modbus-c-bench server HOST PORT                 serves 65536 holding registers to one client at a time;
 *                                                   prints "READY port" once listening (port 0 = ephemeral)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <modbus/modbus.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int client(const char *host, const char *port, int size, int requests) {
    modbus_t *ctx = modbus_new_tcp_pi(host, port);
    if (!ctx || modbus_connect(ctx) != 0) {
        fprintf(stderr, "connect: %s\n", modbus_strerror(errno));
        return 1;
    }
    modbus_set_response_timeout(ctx, 1, 0);
    uint16_t registers[125];
    double *latency = malloc(sizeof(double) * requests);
    for (int i = 0; i < 1000; i++) modbus_read_registers(ctx, 0, size, registers); /* warm-up */
    double start = now_us();
    for (int i = 0; i < requests; i++) {
        double t0 = now_us();
        if (modbus_read_registers(ctx, 0, size, registers) != size) {
            fprintf(stderr, "read: %s\n", modbus_strerror(errno));
            return 1;
        }
        latency[i] = now_us() - t0;
    }
    double elapsed = now_us() - start;
    qsort(latency, requests, sizeof(double), compare);
    printf("size=%d requests=%d rps=%.0f p50_us=%.1f p99_us=%.1f\n", size, requests, requests / (elapsed / 1e6),
           latency[requests / 2], latency[(int)(requests * 0.99)]);
    modbus_close(ctx);
    modbus_free(ctx);
    free(latency);
    return 0;
}

static int server(const char *host, const char *port) {
    modbus_t *ctx = modbus_new_tcp_pi(host, port);
    modbus_mapping_t *mapping = modbus_mapping_new(0, 0, 65536, 0);
    for (int i = 0; i < 65536; i++) mapping->tab_registers[i] = (uint16_t)i;
    int listener = modbus_tcp_pi_listen(ctx, 1);
    if (listener < 0) {
        fprintf(stderr, "listen: %s\n", modbus_strerror(errno));
        return 1;
    }
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);
    int bound = address.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&address)->sin6_port)
                                              : ntohs(((struct sockaddr_in *)&address)->sin_port);
    printf("READY %d\n", bound);
    fflush(stdout);
    uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) continue;
        int one = 1;
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* libmodbus leaves Nagle on here */
        modbus_set_socket(ctx, client);
        for (;;) {
            int rc = modbus_receive(ctx, query);
            if (rc > 0) modbus_reply(ctx, query, rc, mapping);
            else if (rc == -1) break;
        }
        close(client);
    }
}

int main(int argc, char **argv) {
    if (argc == 6 && strcmp(argv[1], "client") == 0) return client(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    if (argc == 4 && strcmp(argv[1], "server") == 0) return server(argv[2], argv[3]);
    fprintf(stderr, "usage: %s client HOST PORT SIZE REQUESTS | server HOST PORT\n", argv[0]);
    return 2;
}
