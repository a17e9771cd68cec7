// Shim over rabbitmq-c 0.11 (Debian librabbitmq-dev).
// Swift cannot call C variadic functions (amqp_login) nor import casted macros
// (method ids, property flags), so they are re-exposed here as plain C.
#ifndef LEARNBRIDGE_CRABBITMQ_SHIM_H
#define LEARNBRIDGE_CRABBITMQ_SHIM_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

static inline amqp_rpc_reply_t lb_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                   int channel_max, int frame_max, int heartbeat,
                                                   const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

static const uint32_t LB_AMQP_BASIC_ACK_METHOD = AMQP_BASIC_ACK_METHOD;
static const uint32_t LB_AMQP_BASIC_NACK_METHOD = AMQP_BASIC_NACK_METHOD;
static const uint32_t LB_AMQP_BASIC_RETURN_METHOD = AMQP_BASIC_RETURN_METHOD;
static const uint32_t LB_AMQP_BASIC_DELIVER_METHOD = AMQP_BASIC_DELIVER_METHOD;
static const uint32_t LB_AMQP_BASIC_CANCEL_METHOD = AMQP_BASIC_CANCEL_METHOD;
static const uint32_t LB_AMQP_CHANNEL_CLOSE_METHOD = AMQP_CHANNEL_CLOSE_METHOD;
static const uint32_t LB_AMQP_CONNECTION_CLOSE_METHOD = AMQP_CONNECTION_CLOSE_METHOD;
static const uint32_t AMQP_CHANNEL_CLOSE_OK_METHOD_ID = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const uint32_t AMQP_CONNECTION_CLOSE_OK_METHOD_ID = AMQP_CONNECTION_CLOSE_OK_METHOD;
static const uint32_t LB_AMQP_CONNECTION_BLOCKED_METHOD = AMQP_CONNECTION_BLOCKED_METHOD;
static const uint32_t LB_AMQP_CONNECTION_UNBLOCKED_METHOD = AMQP_CONNECTION_UNBLOCKED_METHOD;

static const uint32_t LB_AMQP_BASIC_CONTENT_TYPE_FLAG = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const uint32_t LB_AMQP_BASIC_HEADERS_FLAG = AMQP_BASIC_HEADERS_FLAG;
static const uint32_t LB_AMQP_BASIC_DELIVERY_MODE_FLAG = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const uint32_t LB_AMQP_BASIC_CORRELATION_ID_FLAG = AMQP_BASIC_CORRELATION_ID_FLAG;
static const uint32_t LB_AMQP_BASIC_MESSAGE_ID_FLAG = AMQP_BASIC_MESSAGE_ID_FLAG;
static const uint32_t LB_AMQP_BASIC_TIMESTAMP_FLAG = AMQP_BASIC_TIMESTAMP_FLAG;
static const uint32_t LB_AMQP_BASIC_TYPE_FLAG = AMQP_BASIC_TYPE_FLAG;
static const uint32_t LB_AMQP_BASIC_APP_ID_FLAG = AMQP_BASIC_APP_ID_FLAG;

static const uint8_t LB_AMQP_FRAME_METHOD = AMQP_FRAME_METHOD;
static const uint8_t LB_AMQP_FRAME_HEADER = AMQP_FRAME_HEADER;
static const uint8_t LB_AMQP_FRAME_BODY = AMQP_FRAME_BODY;

static const uint8_t LB_FIELD_KIND_UTF8 = AMQP_FIELD_KIND_UTF8;
static const uint8_t LB_FIELD_KIND_BYTES = AMQP_FIELD_KIND_BYTES;
static const uint8_t LB_FIELD_KIND_I8 = AMQP_FIELD_KIND_I8;
static const uint8_t LB_FIELD_KIND_U8 = AMQP_FIELD_KIND_U8;
static const uint8_t LB_FIELD_KIND_I16 = AMQP_FIELD_KIND_I16;
static const uint8_t LB_FIELD_KIND_U16 = AMQP_FIELD_KIND_U16;
static const uint8_t LB_FIELD_KIND_I32 = AMQP_FIELD_KIND_I32;
static const uint8_t LB_FIELD_KIND_U32 = AMQP_FIELD_KIND_U32;
static const uint8_t LB_FIELD_KIND_I64 = AMQP_FIELD_KIND_I64;
static const uint8_t LB_FIELD_KIND_U64 = AMQP_FIELD_KIND_U64;
static const uint8_t LB_FIELD_KIND_BOOLEAN = AMQP_FIELD_KIND_BOOLEAN;

/// Builds a table entry; field values are unions, awkward to fill from Swift.
static inline void lb_table_entry_utf8(amqp_table_entry_t *entry, const char *key, const char *value) {
    entry->key = amqp_cstring_bytes(key);
    entry->value.kind = AMQP_FIELD_KIND_UTF8;
    entry->value.value.bytes = amqp_cstring_bytes(value);
}
static inline void lb_table_entry_i64(amqp_table_entry_t *entry, const char *key, int64_t value) {
    entry->key = amqp_cstring_bytes(key);
    entry->value.kind = AMQP_FIELD_KIND_I64;
    entry->value.value.i64 = value;
}
static inline void lb_table_entry_bool(amqp_table_entry_t *entry, const char *key, int value) {
    entry->key = amqp_cstring_bytes(key);
    entry->value.kind = AMQP_FIELD_KIND_BOOLEAN;
    entry->value.value.boolean = value;
}

/// The calling thread blocks in poll(2) on the broker socket and a wake-up pipe,
/// so commands from async Swift are picked up at once without busy waiting.
static inline int lb_poll_two(int fd_a, int fd_b, int timeout_ms, int *a_ready, int *b_ready) {
    struct pollfd fds[2];
    fds[0].fd = fd_a; fds[0].events = POLLIN; fds[0].revents = 0;
    fds[1].fd = fd_b; fds[1].events = POLLIN; fds[1].revents = 0;
    int rc = poll(fds, 2, timeout_ms);
    *a_ready = (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
    *b_ready = (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
    return rc;
}

/// Writes all of `buffer` to the connection's (non-blocking) socket, waiting in poll(2) while
/// it is full, as rabbitmq-c's own sends do. Returns 0, or -1 with errno set (ETIMEDOUT when
/// the socket stayed full for timeout_ms).
static inline int lb_send_all(int fd, const void *buffer, size_t length, int timeout_ms) {
    const char *next = (const char *)buffer;
    while (length > 0) {
        ssize_t written = send(fd, next, length, MSG_NOSIGNAL);
        if (written > 0) { next += written; length -= (size_t)written; continue; }
        if (written < 0 && errno == EINTR) continue;
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd;
            pfd.fd = fd; pfd.events = POLLOUT; pfd.revents = 0;
            int rc = poll(&pfd, 1, timeout_ms);
            if (rc == 0) { errno = ETIMEDOUT; return -1; }
            if (rc < 0 && errno != EINTR) return -1;
            continue;
        }
        return -1;
    }
    return 0;
}

static inline int lb_make_wake_pipe(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    return 0;
}

#endif
