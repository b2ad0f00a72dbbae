/* tsvs_native: the only C in tsvs - AF_PACKET capture (TPACKET_V3 ring or recvmmsg), classic BPF
 * attach, TUN/TAP open and batched read/write, libuv readiness polling. See packet(7), tun docs
 * (Documentation/networking/tuntap.rst) and Documentation/networking/packet_mmap.rst.
 *
 * Everything policy-like (which socket type, ring geometry, link types, cooked headers, direction
 * filtering, statistics semantics) is decided in TypeScript (src/io/); this file only performs the
 * system calls and copies packets into a buffer that JavaScript owns. Errors are thrown as JS Errors
 * carrying errno, code (EPERM...) and syscall, with the message "<syscall>: <strerror>". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif
#ifndef TP_STATUS_VLAN_TPID_VALID
#define TP_STATUS_VLAN_TPID_VALID (1 << 6)
#endif

/* Capture record written into the JS buffer (all fields host-endian u32, record 8-byte aligned):
 *  0 recLen  4 caplen  8 len  12 tsSec  16 tsNsec  20 ifindex
 * 24 protocol | pkttype << 16 | flags << 24     28 hatype | halen << 16
 * 32 addr[8]  40 vlanTci | vlanTpid << 16       44 reserved
 * 48 packet bytes (caplen of them). flags bit 0: a VLAN tag is present and was NOT inserted
 * (cooked sockets: JavaScript inserts it when it builds a LINUX_SLL header). On SOCK_RAW sockets the
 * tag is re-inserted after the two MAC addresses here, like libpcap does. Keep in sync with
 * src/io/packet-socket.ts. */
#define REC_HDR 48
#define REC_FLAG_VLAN_PENDING 1
#define RECV_BATCH 64

#define CHECK(call)                                                                                  \
  do {                                                                                               \
    if ((call) != napi_ok) {                                                                         \
      throw_plain(env, "tsvs_native: N-API call failed: " #call);                                    \
      return NULL;                                                                                   \
    }                                                                                                \
  } while (0)

typedef struct {
  int fd;
  int cooked;     /* SOCK_DGRAM: no link-layer header in the data */
  uint32_t snap;  /* bytes of each packet copied out (before a VLAN tag is inserted) */
  /* TPACKET_V3 ring (ring == NULL: recvmmsg mode) */
  uint8_t *ring;
  size_t ring_size;
  uint32_t block_size, block_nr, cur_block;
  int in_block;          /* we are part way through cur_block */
  uint32_t pkts_left;    /* packets of cur_block not yet copied out */
  uint8_t *next_pkt;     /* next tpacket3_hdr in cur_block */
  /* cumulative PACKET_STATISTICS (the kernel resets them on each read) */
  double received, dropped, freezes;
} packet_sock;

typedef struct {
  napi_env env;
  uv_poll_t poll;
  napi_ref callback;
  napi_async_context async;
  int active;
  int closing;    /* uv_close requested */
  int uv_closed;  /* libuv is done with the handle */
  int finalized;  /* the JS external is gone */
} poller;

/* ---------- errors ---------- */

static void throw_plain(napi_env env, const char *msg) { napi_throw_error(env, "ERR_TSVS_NATIVE", msg); }

static void throw_errno(napi_env env, const char *syscall, int err) {
  char msg[256];
  napi_value jmsg, jerr, v;
  snprintf(msg, sizeof msg, "%s: %s", syscall, strerror(err));
  if (napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &jmsg) != napi_ok ||
      napi_create_error(env, NULL, jmsg, &jerr) != napi_ok) {
    throw_plain(env, msg);
    return;
  }
  napi_create_int32(env, err, &v);
  napi_set_named_property(env, jerr, "errno", v);
  napi_create_string_utf8(env, uv_err_name(-err), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, jerr, "code", v);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, jerr, "syscall", v);
  napi_throw(env, jerr);
}

/* ---------- argument helpers ---------- */

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    throw_plain(env, "tsvs_native: missing arguments");
    return 0;
  }
  return 1;
}

static int prop_int(napi_env env, napi_value obj, const char *name, int64_t dflt, int64_t *out) {
  bool has = false;
  napi_value v;
  napi_valuetype t;
  *out = dflt;
  if (napi_has_named_property(env, obj, name, &has) != napi_ok) return 0;
  if (!has) return 1;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok) return 0;
  napi_typeof(env, v, &t);
  if (t == napi_undefined) return 1;
  if (t == napi_boolean) {
    bool b;
    napi_get_value_bool(env, v, &b);
    *out = b;
    return 1;
  }
  if (t != napi_number) {
    char msg[128];
    snprintf(msg, sizeof msg, "tsvs_native: option '%s' must be a number", name);
    throw_plain(env, msg);
    return -1;
  }
  return napi_get_value_int64(env, v, out) == napi_ok;
}

static int get_bytes(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  napi_typedarray_type type;
  size_t n, off;
  void *p;
  napi_value ab;
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta || napi_get_typedarray_info(env, v, &type, &n, &p, &ab, &off) != napi_ok || type != napi_uint8_array) {
    throw_plain(env, "tsvs_native: expected a Uint8Array");
    return 0;
  }
  *data = p;
  *len = n;
  return 1;
}

static packet_sock *get_sock(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    throw_plain(env, "tsvs_native: not a packet socket handle");
    return NULL;
  }
  packet_sock *s = p;
  if (s->fd < 0) {
    throw_plain(env, "tsvs_native: packet socket is closed");
    return NULL;
  }
  return s;
}

/* ---------- packet sockets ---------- */

static void sock_release(packet_sock *s) {
  if (s->ring) munmap(s->ring, s->ring_size);
  s->ring = NULL;
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
}

static void sock_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  packet_sock *s = data;
  sock_release(s);
  free(s);
}

/* A filter that rejects everything: attached before bind() so nothing queues up before the user's
 * filter is in place (libpcap drains the queue instead; we never let it fill). */
static int attach_reject_all(int fd) {
  struct sock_filter insn = {BPF_RET | BPF_K, 0, 0, 0};
  struct sock_fprog prog = {1, &insn};
  return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

/* packetOpen({ ifindex, cooked, snaplen, promisc, ignoreOutgoing, ringBlockSize, ringBlocks,
 *              blockTimeoutMs, rcvbuf }) -> external handle. ringBlocks 0 selects recvmmsg mode. */
static napi_value packet_open(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  int64_t ifindex, cooked, snaplen, promisc, ign_out, bsize, bnr, tov, rcvbuf;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (prop_int(env, argv[0], "ifindex", 0, &ifindex) != 1 || prop_int(env, argv[0], "cooked", 0, &cooked) != 1 ||
      prop_int(env, argv[0], "snaplen", 262144, &snaplen) != 1 ||
      prop_int(env, argv[0], "promisc", 0, &promisc) != 1 ||
      prop_int(env, argv[0], "ignoreOutgoing", 0, &ign_out) != 1 ||
      prop_int(env, argv[0], "ringBlockSize", 0, &bsize) != 1 ||
      prop_int(env, argv[0], "ringBlocks", 0, &bnr) != 1 ||
      prop_int(env, argv[0], "blockTimeoutMs", 100, &tov) != 1 ||
      prop_int(env, argv[0], "rcvbuf", 0, &rcvbuf) != 1)
    return NULL;
  if (snaplen <= 0 || snaplen > 0x7fffffff) snaplen = 262144;

  int fd = socket(AF_PACKET, (cooked ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    throw_errno(env, "socket", errno);
    return NULL;
  }
  packet_sock *s = calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    throw_errno(env, "calloc", ENOMEM);
    return NULL;
  }
  s->fd = fd;
  s->cooked = (int)cooked;
  s->snap = (uint32_t)snaplen;
  const char *what = NULL;
  int one = 1;

  if (attach_reject_all(fd) < 0) {
    what = "setsockopt (SO_ATTACH_FILTER)";
    goto fail;
  }
  if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) < 0) {
    what = "setsockopt (PACKET_AUXDATA)";
    goto fail;
  }
  if (ign_out && setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0) {
    what = "setsockopt (PACKET_IGNORE_OUTGOING)";
    goto fail;
  }
  if (bnr > 0) {
    int v = TPACKET_V3;
    struct tpacket_req3 req;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0) {
      what = "setsockopt (PACKET_VERSION)";
      goto fail;
    }
    memset(&req, 0, sizeof req);
    req.tp_block_size = (unsigned)bsize;
    req.tp_block_nr = (unsigned)bnr;
    req.tp_frame_size = (unsigned)bsize; /* V3 packs variable-size frames; one "frame" per block */
    req.tp_frame_nr = (unsigned)bnr;
    req.tp_retire_blk_tov = (unsigned)(tov > 0 ? tov : 1);
    if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) {
      what = "setsockopt (PACKET_RX_RING)";
      goto fail;
    }
    s->ring_size = (size_t)bsize * (size_t)bnr;
    s->ring = mmap(NULL, s->ring_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd, 0);
    if (s->ring == MAP_FAILED) {
      /* MAP_LOCKED can fail under RLIMIT_MEMLOCK; the ring pages are kernel memory anyway. */
      s->ring = mmap(NULL, s->ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    }
    if (s->ring == MAP_FAILED) {
      s->ring = NULL;
      what = "mmap";
      goto fail;
    }
    s->block_size = (uint32_t)bsize;
    s->block_nr = (uint32_t)bnr;
  } else {
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) {
      what = "setsockopt (SO_TIMESTAMPNS)";
      goto fail;
    }
    if (rcvbuf > 0) {
      int b = (int)(rcvbuf > 0x3fffffff ? 0x3fffffff : rcvbuf);
      /* SO_RCVBUFFORCE passes rmem_max with CAP_NET_ADMIN; fall back to the capped SO_RCVBUF. */
      if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &b, sizeof b) < 0 &&
          setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &b, sizeof b) < 0) {
        what = "setsockopt (SO_RCVBUF)";
        goto fail;
      }
    }
  }
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = (int)ifindex;
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
    what = "bind";
    goto fail;
  }
  if (promisc && ifindex > 0) {
    struct packet_mreq mr;
    memset(&mr, 0, sizeof mr);
    mr.mr_ifindex = (int)ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
      what = "setsockopt (PACKET_ADD_MEMBERSHIP)";
      goto fail;
    }
  }
  if (napi_create_external(env, s, sock_finalize, NULL, &result) != napi_ok) {
    sock_release(s);
    free(s);
    throw_plain(env, "tsvs_native: cannot create handle");
    return NULL;
  }
  return result;

fail: {
  int err = errno;
  sock_release(s);
  free(s);
  throw_errno(env, what, err);
  return NULL;
}
}

/* packetSetFilter(handle, insns: Uint8Array of struct sock_filter, 8 bytes each, host order).
 * An empty array detaches any filter (every packet accepted, uncut). */
static napi_value packet_set_filter(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  uint8_t *data;
  size_t len;
  if (!get_args(env, info, 2, argv)) return NULL;
  packet_sock *s = get_sock(env, argv[0]);
  if (!s || !get_bytes(env, argv[1], &data, &len)) return NULL;
  if (len % sizeof(struct sock_filter) != 0 || len / sizeof(struct sock_filter) > 0xffff) {
    throw_plain(env, "tsvs_native: a BPF program is 1..65535 instructions of 8 bytes");
    return NULL;
  }
  if (len == 0) {
    int dummy = 0;
    if (setsockopt(s->fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof dummy) < 0 && errno != ENOENT) {
      throw_errno(env, "setsockopt (SO_DETACH_FILTER)", errno);
    }
    return NULL;
  }
  struct sock_filter *insns = malloc(len);
  if (!insns) {
    throw_errno(env, "malloc", ENOMEM);
    return NULL;
  }
  memcpy(insns, data, len); /* the JS buffer may be unaligned */
  struct sock_fprog prog = {(unsigned short)(len / sizeof(struct sock_filter)), insns};
  int rc = setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
  int err = errno;
  free(insns);
  if (rc < 0) throw_errno(env, "setsockopt (SO_ATTACH_FILTER)", err);
  return NULL;
}

static inline void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void put_u16be(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

/* Writes one record at out; returns its length. data/caplen are the bytes the kernel gave us. */
static size_t put_record(const packet_sock *s, uint8_t *out, const uint8_t *data, uint32_t caplen, uint32_t len,
                         uint32_t sec, uint32_t nsec, const struct sockaddr_ll *sll, int vlan_valid, uint16_t tci,
                         uint16_t tpid) {
  uint32_t n = caplen < s->snap ? caplen : s->snap;
  uint32_t flags = 0;
  uint8_t *dst = out + REC_HDR;
  if (vlan_valid && !s->cooked && n >= 12) {
    memcpy(dst, data, 12);
    put_u16be(dst + 12, tpid);
    put_u16be(dst + 14, tci);
    memcpy(dst + 16, data + 12, n - 12);
    n += 4;
    len += 4;
  } else {
    if (vlan_valid) flags |= REC_FLAG_VLAN_PENDING;
    memcpy(dst, data, n);
  }
  size_t rec = (REC_HDR + n + 7) & ~(size_t)7;
  put_u32(out + 0, (uint32_t)rec);
  put_u32(out + 4, n);
  put_u32(out + 8, len);
  put_u32(out + 12, sec);
  put_u32(out + 16, nsec);
  put_u32(out + 20, (uint32_t)sll->sll_ifindex);
  put_u32(out + 24, (uint32_t)ntohs(sll->sll_protocol) | (uint32_t)sll->sll_pkttype << 16 | flags << 24);
  put_u32(out + 28, (uint32_t)sll->sll_hatype | (uint32_t)sll->sll_halen << 16);
  memcpy(out + 32, sll->sll_addr, 8);
  put_u32(out + 40, (uint32_t)tci | (uint32_t)tpid << 16);
  put_u32(out + 44, 0);
  return rec;
}

/* Worst-case record size for a packet of caplen bytes. */
static inline size_t record_room(const packet_sock *s, uint32_t caplen) {
  uint32_t n = caplen < s->snap ? caplen : s->snap;
  return (REC_HDR + n + 4 + 7) & ~(size_t)7;
}

static size_t read_ring(packet_sock *s, uint8_t *buf, size_t cap) {
  size_t used = 0;
  for (uint32_t visited = 0; visited <= s->block_nr; visited++) {
    struct tpacket_block_desc *bd = (struct tpacket_block_desc *)(s->ring + (size_t)s->cur_block * s->block_size);
    if (!s->in_block) {
      if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) break;
      s->in_block = 1;
      s->pkts_left = bd->hdr.bh1.num_pkts;
      s->next_pkt = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
    }
    while (s->pkts_left > 0) {
      struct tpacket3_hdr *h = (struct tpacket3_hdr *)s->next_pkt;
      if (used + record_room(s, h->tp_snaplen) > cap) return used;
      const struct sockaddr_ll *sll =
          (const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
      int vv = h->hv1.tp_vlan_tci != 0 || (h->tp_status & TP_STATUS_VLAN_VALID);
      uint16_t tpid = (h->hv1.tp_vlan_tpid || (h->tp_status & TP_STATUS_VLAN_TPID_VALID)) ? h->hv1.tp_vlan_tpid
                                                                                          : ETH_P_8021Q;
      used += put_record(s, buf + used, (uint8_t *)h + h->tp_mac, h->tp_snaplen, h->tp_len, h->tp_sec, h->tp_nsec,
                         sll, vv, h->hv1.tp_vlan_tci, tpid);
      s->pkts_left--;
      s->next_pkt = (uint8_t *)h + h->tp_next_offset;
    }
    /* Hand the block back to the kernel. */
    __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    s->in_block = 0;
    s->cur_block = (s->cur_block + 1) % s->block_nr;
  }
  return used;
}

/* recvmmsg straight into record slots of the JS buffer: each slot is REC_HDR + snap (+4 for a
 * VLAN tag) bytes; the records keep their slot size so nothing is moved afterwards. */
static ssize_t read_recvmmsg(napi_env env, packet_sock *s, uint8_t *buf, size_t cap) {
  struct mmsghdr msgs[RECV_BATCH];
  struct iovec iov[RECV_BATCH];
  struct sockaddr_ll addrs[RECV_BATCH];
  union {
    char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata)) + CMSG_SPACE(sizeof(struct timespec))];
    struct cmsghdr align;
  } ctl[RECV_BATCH];
  size_t slot = (REC_HDR + (size_t)s->snap + 4 + 7) & ~(size_t)7;
  size_t n = cap / slot;
  if (n > RECV_BATCH) n = RECV_BATCH;
  if (n == 0) {
    throw_plain(env, "tsvs_native: read buffer smaller than one snapshot");
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    /* Data lands 4 bytes late so a VLAN tag can be inserted in place afterwards. */
    iov[i].iov_base = buf + i * slot + REC_HDR + 4;
    iov[i].iov_len = s->snap;
    memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
    msgs[i].msg_hdr.msg_name = &addrs[i];
    msgs[i].msg_hdr.msg_namelen = sizeof addrs[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_control = ctl[i].buf;
    msgs[i].msg_hdr.msg_controllen = sizeof ctl[i].buf;
  }
  int got = recvmmsg(s->fd, msgs, (unsigned)n, MSG_TRUNC | MSG_DONTWAIT, NULL);
  if (got < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
    throw_errno(env, "recvmmsg", errno);
    return -1;
  }
  size_t used = 0;
  for (int i = 0; i < got; i++) {
    uint8_t *out = buf + used;
    uint8_t *data = out + REC_HDR + 4;
    uint32_t len = msgs[i].msg_len; /* MSG_TRUNC: the length on the wire */
    uint32_t caplen = len < s->snap ? len : s->snap;
    struct timespec ts = {0, 0};
    struct tpacket_auxdata aux;
    int have_aux = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
      if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA && c->cmsg_len >= CMSG_LEN(sizeof aux)) {
        memcpy(&aux, CMSG_DATA(c), sizeof aux);
        have_aux = 1;
      } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        memcpy(&ts, CMSG_DATA(c), sizeof ts);
      }
    }
    if (ts.tv_sec == 0 && ts.tv_nsec == 0) clock_gettime(CLOCK_REALTIME, &ts);
    int vv = 0;
    uint16_t tci = 0, tpid = ETH_P_8021Q;
    if (have_aux) {
      len = aux.tp_len;
      vv = aux.tp_vlan_tci != 0 || (aux.tp_status & TP_STATUS_VLAN_VALID);
      tci = aux.tp_vlan_tci;
      if (aux.tp_vlan_tpid || (aux.tp_status & TP_STATUS_VLAN_TPID_VALID)) tpid = aux.tp_vlan_tpid;
    }
    uint32_t flags = 0;
    uint32_t n2 = caplen;
    if (vv && !s->cooked && caplen >= 12) {
      memmove(out + REC_HDR, data, 12);
      put_u16be(out + REC_HDR + 12, tpid);
      put_u16be(out + REC_HDR + 14, tci);
      n2 += 4;
      len += 4;
    } else {
      if (vv) flags |= REC_FLAG_VLAN_PENDING;
      memmove(out + REC_HDR, data, caplen);
    }
    const struct sockaddr_ll *sll = &addrs[i];
    put_u32(out + 0, (uint32_t)slot);
    put_u32(out + 4, n2);
    put_u32(out + 8, len);
    put_u32(out + 12, (uint32_t)ts.tv_sec);
    put_u32(out + 16, (uint32_t)ts.tv_nsec);
    put_u32(out + 20, (uint32_t)sll->sll_ifindex);
    put_u32(out + 24, (uint32_t)ntohs(sll->sll_protocol) | (uint32_t)sll->sll_pkttype << 16 | flags << 24);
    put_u32(out + 28, (uint32_t)sll->sll_hatype | (uint32_t)sll->sll_halen << 16);
    memcpy(out + 32, sll->sll_addr, 8);
    put_u32(out + 40, (uint32_t)tci | (uint32_t)tpid << 16);
    put_u32(out + 44, 0);
    used += slot;
  }
  return (ssize_t)used;
}

/* packetRead(handle, buf) -> bytes of records written into buf (0: nothing ready). Never blocks. */
static napi_value packet_read(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  uint8_t *buf;
  size_t cap;
  if (!get_args(env, info, 2, argv)) return NULL;
  packet_sock *s = get_sock(env, argv[0]);
  if (!s || !get_bytes(env, argv[1], &buf, &cap)) return NULL;
  ssize_t used;
  if (s->ring) {
    used = (ssize_t)read_ring(s, buf, cap);
    if (used == 0) {
      /* Woken with nothing in the ring: a pending socket error (ENETDOWN when the interface goes
       * down or away) would otherwise make poll fire forever. */
      int err = 0;
      socklen_t elen = sizeof err;
      if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err != 0) {
        throw_errno(env, "poll", err);
        return NULL;
      }
    }
  } else {
    used = read_recvmmsg(env, s, buf, cap);
    if (used < 0) return NULL;
  }
  CHECK(napi_create_double(env, (double)used, &result));
  return result;
}

/* packetStats(handle) -> { received, dropped, freezes }: totals since open. "received" counts every
 * packet that passed the filter, dropped ones included (the kernel adds tp_drops to tp_packets). */
static napi_value packet_stats(napi_env env, napi_callback_info info) {
  napi_value argv[1], result, v;
  if (!get_args(env, info, 1, argv)) return NULL;
  packet_sock *s = get_sock(env, argv[0]);
  if (!s) return NULL;
  struct tpacket_stats_v3 st;
  socklen_t len = s->ring ? sizeof(struct tpacket_stats_v3) : sizeof(struct tpacket_stats);
  memset(&st, 0, sizeof st);
  if (getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0) {
    throw_errno(env, "getsockopt (PACKET_STATISTICS)", errno);
    return NULL;
  }
  s->received += st.tp_packets;
  s->dropped += st.tp_drops;
  if (s->ring) s->freezes += st.tp_freeze_q_cnt;
  CHECK(napi_create_object(env, &result));
  napi_create_double(env, s->received, &v);
  napi_set_named_property(env, result, "received", v);
  napi_create_double(env, s->dropped, &v);
  napi_set_named_property(env, result, "dropped", v);
  napi_create_double(env, s->freezes, &v);
  napi_set_named_property(env, result, "freezes", v);
  return result;
}

static napi_value packet_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  if (!get_args(env, info, 1, argv)) return NULL;
  packet_sock *s = get_sock(env, argv[0]);
  if (!s) return NULL;
  CHECK(napi_create_int32(env, s->fd, &result));
  return result;
}

/* packetClose(handle): idempotent. Stop any poller on its fd first. */
static napi_value packet_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void *p = NULL;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_external(env, argv[0], &p) != napi_ok || !p) {
    throw_plain(env, "tsvs_native: not a packet socket handle");
    return NULL;
  }
  sock_release(p);
  return NULL;
}

/* packetSend(handle, buf, off, len): one frame out (DR forwarding). Returns bytes sent, 0 on EAGAIN. */
static napi_value packet_send(napi_env env, napi_callback_info info) {
  napi_value argv[4], result;
  uint8_t *buf;
  size_t cap;
  int64_t off, len;
  if (!get_args(env, info, 4, argv)) return NULL;
  packet_sock *s = get_sock(env, argv[0]);
  if (!s || !get_bytes(env, argv[1], &buf, &cap)) return NULL;
  napi_get_value_int64(env, argv[2], &off);
  napi_get_value_int64(env, argv[3], &len);
  if (off < 0 || len < 0 || (size_t)(off + len) > cap) {
    throw_plain(env, "tsvs_native: packetSend range outside the buffer");
    return NULL;
  }
  ssize_t n = send(s->fd, buf + off, (size_t)len, MSG_DONTWAIT);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      throw_errno(env, "send", errno);
      return NULL;
    }
    n = 0;
  }
  CHECK(napi_create_double(env, (double)n, &result));
  return result;
}

/* ---------- TUN/TAP ---------- */

/* tunOpen(name, flags) -> { fd, name }. flags: 1 TAP (else TUN), 2 NO_PI, 4 VNET_HDR, 8 MULTI_QUEUE.
 * The fd is non-blocking and close-on-exec; close it with fs.closeSync after stopping its poller. */
static napi_value tun_open(napi_env env, napi_callback_info info) {
  napi_value argv[2], result, v;
  char name[IFNAMSIZ + 1];
  size_t nlen;
  int64_t flags;
  if (!get_args(env, info, 2, argv)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &nlen) != napi_ok || nlen >= IFNAMSIZ) {
    throw_plain(env, "tsvs_native: interface name must be a string of at most 15 bytes");
    return NULL;
  }
  napi_get_value_int64(env, argv[1], &flags);
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    throw_errno(env, "open /dev/net/tun", errno);
    return NULL;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = (short)((flags & 1) ? IFF_TAP : IFF_TUN);
  if (flags & 2) ifr.ifr_flags |= IFF_NO_PI;
  if (flags & 4) ifr.ifr_flags |= IFF_VNET_HDR;
  if (flags & 8) ifr.ifr_flags |= IFF_MULTI_QUEUE;
  memcpy(ifr.ifr_name, name, nlen);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int err = errno;
    close(fd);
    throw_errno(env, "ioctl (TUNSETIFF)", err);
    return NULL;
  }
  CHECK(napi_create_object(env, &result));
  napi_create_int32(env, fd, &v);
  napi_set_named_property(env, result, "fd", v);
  napi_create_string_utf8(env, ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ), &v);
  napi_set_named_property(env, result, "name", v);
  return result;
}

/* tunSetOffload(fd, flags): TUNSETOFFLOAD (TUN_F_CSUM 1, TUN_F_TSO4 2, TUN_F_TSO6 4, TUN_F_TSO_ECN 8,
 * TUN_F_UFO 16): which partial checksums and GSO packets the kernel may hand to a VNET_HDR reader. */
static napi_value tun_set_offload(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  int64_t flags;
  if (!get_args(env, info, 2, argv)) return NULL;
  napi_get_value_int32(env, argv[0], &fd);
  napi_get_value_int64(env, argv[1], &flags);
  if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)flags) < 0) {
    throw_errno(env, "ioctl (TUNSETOFFLOAD)", errno);
    return NULL;
  }
  return NULL;
}

/* tunRead(fd, buf) -> bytes of records [u32 len][packet][pad to 4] read until EAGAIN or full. */
static napi_value tun_read(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  uint8_t *buf;
  size_t cap, used = 0;
  int32_t fd;
  if (!get_args(env, info, 2, argv)) return NULL;
  napi_get_value_int32(env, argv[0], &fd);
  if (!get_bytes(env, argv[1], &buf, &cap)) return NULL;
  /* Stop once less than a maximal packet (64 KiB + headers) would fit, so nothing is cut. */
  while (used + 4 + 65536 + 16 <= cap) {
    ssize_t n = read(fd, buf + used + 4, cap - used - 4);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
      throw_errno(env, "read", errno);
      return NULL;
    }
    if (n == 0) break;
    put_u32(buf + used, (uint32_t)n);
    used += (4 + (size_t)n + 3) & ~(size_t)3;
  }
  CHECK(napi_create_double(env, (double)used, &result));
  return result;
}

/* tunWrite(fd, buf, offsets: Uint32Array of [off, len] pairs, count) -> packets written (stops at
 * EAGAIN; the caller retries the rest when writable). */
static napi_value tun_write(napi_env env, napi_callback_info info) {
  napi_value argv[4], result;
  uint8_t *buf;
  size_t cap, olen, ooff;
  int32_t fd;
  int64_t count;
  napi_typedarray_type type;
  void *op;
  napi_value ab;
  if (!get_args(env, info, 4, argv)) return NULL;
  napi_get_value_int32(env, argv[0], &fd);
  if (!get_bytes(env, argv[1], &buf, &cap)) return NULL;
  if (napi_get_typedarray_info(env, argv[2], &type, &olen, &op, &ab, &ooff) != napi_ok || type != napi_uint32_array) {
    throw_plain(env, "tsvs_native: tunWrite offsets must be a Uint32Array");
    return NULL;
  }
  napi_get_value_int64(env, argv[3], &count);
  if (count < 0 || (size_t)count * 2 > olen) {
    throw_plain(env, "tsvs_native: tunWrite count exceeds the offsets array");
    return NULL;
  }
  const uint32_t *offs = op;
  int64_t i;
  for (i = 0; i < count; i++) {
    uint64_t o = offs[2 * i], l = offs[2 * i + 1];
    if (o + l > cap) {
      throw_plain(env, "tsvs_native: tunWrite packet outside the buffer");
      return NULL;
    }
    ssize_t n = write(fd, buf + o, (size_t)l);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) {
        i--;
        continue;
      }
      throw_errno(env, "write", errno);
      return NULL;
    }
  }
  CHECK(napi_create_double(env, (double)i, &result));
  return result;
}

/* ---------- link status (tcpdump -D's Connected/Disconnected comes from ETHTOOL_GLINK) ---------- */

/* linkStatus(name) -> 1 connected, 0 disconnected, -1 not applicable (driver has no link state),
 * -2 unknown (no such device or no socket). */
static napi_value link_status(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  char name[IFNAMSIZ + 1];
  size_t nlen;
  int status = -2;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &nlen) != napi_ok || nlen >= IFNAMSIZ) {
    throw_plain(env, "tsvs_native: interface name must be a string of at most 15 bytes");
    return NULL;
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    struct ifreq ifr;
    struct ethtool_value ev;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, name, nlen);
    ev.cmd = ETHTOOL_GLINK;
    ev.data = 0;
    ifr.ifr_data = (void *)&ev;
    if (ioctl(fd, SIOCETHTOOL, &ifr) == 0)
      status = ev.data ? 1 : 0;
    else if (errno == EOPNOTSUPP || errno == EINVAL)
      status = -1;
    close(fd);
  }
  CHECK(napi_create_int32(env, status, &result));
  return result;
}

/* ---------- readiness polling through libuv ---------- */

/* The poller is freed when both libuv (close callback) and V8 (finalizer) are done with it. */
static void poll_closed(uv_handle_t *h) {
  poller *p = h->data;
  p->uv_closed = 1;
  if (p->finalized) free(p);
}

static void poll_release(poller *p) {
  if (p->closing) return;
  p->closing = 1;
  if (p->active) uv_poll_stop(&p->poll);
  p->active = 0;
  if (p->callback) napi_delete_reference(p->env, p->callback);
  p->callback = NULL;
  if (p->async) napi_async_destroy(p->env, p->async);
  p->async = NULL;
  uv_close((uv_handle_t *)&p->poll, poll_closed);
}

static void poll_cb(uv_poll_t *h, int status, int events) {
  (void)events;
  poller *p = h->data;
  napi_env env = p->env;
  napi_handle_scope scope;
  napi_value cb, recv, arg, ret;
  if (!p->active || !p->callback) return;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  if (napi_get_reference_value(env, p->callback, &cb) == napi_ok && cb != NULL) {
    napi_get_global(env, &recv); /* napi_make_callback needs an object receiver */
    napi_create_int32(env, status, &arg);
    if (napi_make_callback(env, p->async, recv, cb, 1, &arg, &ret) == napi_pending_exception) {
      napi_value exc;
      napi_get_and_clear_last_exception(env, &exc);
      napi_fatal_exception(env, exc);
    }
  }
  napi_close_handle_scope(env, scope);
}

/* The poller object owns a uv_poll_t; if JS drops it without pollStop, stop it at GC. */
static void poll_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  poller *p = data;
  p->finalized = 1;
  if (!p->closing) {
    /* JS dropped a running poller: stop it. The reference and async context go with the env. */
    p->callback = NULL;
    p->async = NULL;
    p->closing = 1;
    if (p->active) uv_poll_stop(&p->poll);
    p->active = 0;
    uv_close((uv_handle_t *)&p->poll, poll_closed);
  } else if (p->uv_closed) {
    free(p);
  }
}

/* pollStart(fd, callback(status)) -> poller. The callback runs on the main thread each time fd is
 * readable (status < 0: a libuv error code). It keeps the event loop alive until pollStop. */
static napi_value poll_start(napi_env env, napi_callback_info info) {
  napi_value argv[2], result, name;
  int32_t fd;
  uv_loop_t *loop;
  if (!get_args(env, info, 2, argv)) return NULL;
  CHECK(napi_get_value_int32(env, argv[0], &fd));
  CHECK(napi_get_uv_event_loop(env, &loop));
  poller *p = calloc(1, sizeof *p);
  if (!p) {
    throw_errno(env, "calloc", ENOMEM);
    return NULL;
  }
  p->env = env;
  p->poll.data = p;
  int rc = uv_poll_init(loop, &p->poll, fd);
  if (rc < 0) {
    free(p);
    throw_errno(env, "uv_poll_init", -rc);
    return NULL;
  }
  if (napi_create_reference(env, argv[1], 1, &p->callback) != napi_ok ||
      napi_create_string_utf8(env, "tsvs:poll", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_async_init(env, NULL, name, &p->async) != napi_ok) {
    p->finalized = 1; /* no JS external exists yet */
    poll_release(p);
    throw_plain(env, "tsvs_native: cannot set up the poll callback");
    return NULL;
  }
  rc = uv_poll_start(&p->poll, UV_READABLE, poll_cb);
  if (rc < 0) {
    p->finalized = 1; /* no JS external exists yet */
    poll_release(p);
    throw_errno(env, "uv_poll_start", -rc);
    return NULL;
  }
  p->active = 1;
  if (napi_create_external(env, p, poll_finalize, NULL, &result) != napi_ok) {
    p->finalized = 1; /* no JS external exists yet */
    poll_release(p);
    throw_plain(env, "tsvs_native: cannot create poller handle");
    return NULL;
  }
  return result;
}

/* pollStop(poller): idempotent; the loop is released once libuv has closed the handle. */
static napi_value poll_stop(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void *p = NULL;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_external(env, argv[0], &p) != napi_ok || !p) {
    throw_plain(env, "tsvs_native: not a poller handle");
    return NULL;
  }
  poll_release(p);
  return NULL;
}

/* ---------- module ---------- */

static napi_value init(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
      {"packetOpen", packet_open},   {"packetSetFilter", packet_set_filter}, {"packetRead", packet_read},
      {"packetStats", packet_stats}, {"packetFd", packet_fd},                {"packetClose", packet_close},
      {"packetSend", packet_send},   {"tunOpen", tun_open},                  {"tunRead", tun_read},
      {"tunSetOffload", tun_set_offload},
      {"tunWrite", tun_write},       {"linkStatus", link_status},            {"pollStart", poll_start},
      {"pollStop", poll_stop},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok ||
        napi_set_named_property(env, exports, fns[i].name, f) != napi_ok)
      return NULL;
  }
  napi_value v;
  napi_create_int32(env, REC_HDR, &v);
  napi_set_named_property(env, exports, "RECORD_HEADER_LEN", v);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
