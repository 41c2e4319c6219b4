// SPDX-License-Identifier: BSD-2-Clause
#include "rib/stored_bgpsec_path.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/slot_pool.hpp"
#include "crypto/p256/signature_der.hpp"
#include "rib/ski_pool.hpp"

namespace bgpsecd::rib {

namespace {

// At most two Signature_Blocks (RFC 8205 §3.2; the codec rejects a third).
constexpr std::size_t kMaxBlocks = 2;

// Process-wide totals for usage(); relaxed: they are statistics, read without a snapshot.
std::atomic<std::uint64_t> g_paths{0};
std::atomic<std::uint64_t> g_hops{0};
std::atomic<std::uint64_t> g_nodes{0};
std::atomic<std::uint64_t> g_bytes{0};

void count(std::atomic<std::uint64_t>& total, std::int64_t delta) noexcept {
  total.fetch_add(static_cast<std::uint64_t>(delta), std::memory_order_relaxed);
}

// Stored as plain octets behind a header (placement new, no destructor run).
static_assert(std::is_trivially_copyable_v<wire::SecurePathSegment> &&
              std::is_trivially_destructible_v<wire::SecurePathSegment>);

// How one Signature_Segment's signature is kept: r ‖ s when it is the strict DER of a P-256
// signature (what every well-formed suite-1 signature is: RFC 8608 §3.1), since
// der_from_compact gives those octets back exactly; anything else as received.
struct PreparedSignature {
  bool compact = false;
  crypto::p256::CompactSignature rs{};
};

// The stored form of every Signature_Segment of `path`, at hop * blocks + block. A path of at
// most kOnStack Signature_Segments (hops x blocks: 16 hops with one block, 8 with two; a typical
// path has four or five hops) is prepared without an allocation, since store() runs once per
// received route.
class PreparedPath {
 public:
  static constexpr std::size_t kOnStack = 16;

  PreparedPath(const wire::BgpsecPath& path, std::size_t blocks) {
    const std::size_t hops = path.secure_path.size();
    const std::size_t n = hops * blocks;
    std::span<PreparedSignature> out;
    if (n <= on_stack_.size()) {
      out = std::span(on_stack_).first(n);
    } else {
      on_heap_.resize(n);
      out = on_heap_;
    }
    for (std::size_t hop = 0; hop < hops; ++hop) {
      for (std::size_t b = 0; b < blocks; ++b) {
        auto& p = out[hop * blocks + b];
        p.compact = crypto::p256::compact_from_der(path.blocks[b].segments[hop].signature, p.rs);
      }
    }
    view_ = out;
  }
  // view_ may point into on_stack_: neither copied nor moved.
  PreparedPath(const PreparedPath&) = delete;
  PreparedPath& operator=(const PreparedPath&) = delete;
  PreparedPath(PreparedPath&&) = delete;
  PreparedPath& operator=(PreparedPath&&) = delete;
  ~PreparedPath() = default;

  [[nodiscard]] std::span<const PreparedSignature> view() const noexcept { return view_; }

 private:
  std::array<PreparedSignature, kOnStack> on_stack_;
  std::vector<PreparedSignature> on_heap_;
  std::span<const PreparedSignature> view_;
};

}  // namespace

// One hop's Signature_Segments, one per block; followed in the same allocation by, per block,
// the SKI's index in the SkiPool (4 octets) and the signature: r ‖ s (64 octets) when the
// block's compact bit is set, else a 2-octet length and the octets as received.
//
// The header is 12 octets: one 32-bit word with the reference count (low 24 bits), the number
// of blocks and the compact bits, then the pointer to the next older hop's node, kept
// unaligned. A hop of a suite-1 path so takes 12 + 4 + 64 = 80 octets (instead of 20 octets of
// SKI and up to 72 of DER), and every node of exactly that size (in practice a one-block
// suite-1 hop) comes from a SlotPool, where malloc would take 96 for it: a full table stores
// about five million such hops.
struct StoredBgpsecPath::SignatureNode {
  static constexpr std::uint32_t kRefsMask = 0x00FF'FFFF;
  static_assert(kMaxBlocks <= 2, "two bits of block count, one compact bit per block");
  static constexpr unsigned kBlocksShift = 24;   // 2 bits
  static constexpr unsigned kCompactShift = 26;  // bit 26 + b: block b's signature is r ‖ s
  // A node is referenced by the newer hop (or the head) of each stored path that shares it, so
  // by at most a few per peer; store() stops sharing a node long before its count could reach
  // the top of 24 bits.
  static constexpr std::uint32_t kMaxRefs = kRefsMask - 0xFFFF;

  mutable std::atomic<std::uint32_t> word{1};
  std::array<std::uint8_t, sizeof(const SignatureNode*)> next_octets{};

  static constexpr std::size_t kIndexSize = sizeof(SkiPool::Index);
  static constexpr std::size_t kLengthSize = 2;
  // A suite-1 hop of a path with one Signature_Block: what the pool's slots hold.
  static constexpr std::size_t kPooledSize = 12 + kIndexSize + crypto::p256::kCompactSignatureSize;

  [[nodiscard]] std::uint32_t bits() const noexcept { return word.load(std::memory_order_relaxed); }
  [[nodiscard]] std::size_t blocks() const noexcept { return (bits() >> kBlocksShift) & 3U; }
  [[nodiscard]] std::uint32_t compact_bits() const noexcept {
    return (bits() >> kCompactShift) & 3U;
  }
  [[nodiscard]] bool is_compact(std::size_t b) const noexcept {
    return ((compact_bits() >> b) & 1U) != 0;
  }
  [[nodiscard]] std::uint32_t ref_count() const noexcept { return bits() & kRefsMask; }
  void add_ref() const noexcept { word.fetch_add(1, std::memory_order_relaxed); }
  // True when that was the last reference.
  [[nodiscard]] bool drop_ref() const noexcept {
    return (word.fetch_sub(1, std::memory_order_acq_rel) & kRefsMask) == 1;
  }
  // The next older hop's node; null after the origin's.
  [[nodiscard]] const SignatureNode* next() const noexcept {
    const SignatureNode* out = nullptr;
    std::memcpy(&out, next_octets.data(), sizeof(out));
    return out;
  }
  void set_next(const SignatureNode* next) noexcept {
    std::memcpy(next_octets.data(), &next, sizeof(next));
  }
  // The pool of the process's kPooledSize nodes; never destroyed, since stored paths in static
  // objects may be released during exit.
  static base::SlotPool& pool() {
    static auto* pool = new base::SlotPool(kPooledSize, 819);  // pages just under 64 KiB
    return *pool;
  }
  static void* allocate(std::size_t size) {
    static_assert(sizeof(SignatureNode) == 12 && alignof(SignatureNode) == 4);
    return size == kPooledSize ? pool().allocate() : ::operator new(size);
  }
  static void deallocate(void* memory, std::size_t size) noexcept {
    if (size == kPooledSize) {
      pool().deallocate(memory);
    } else {
      ::operator delete(memory);
    }
  }
  [[nodiscard]] const std::uint8_t* payload() const noexcept {
    return reinterpret_cast<const std::uint8_t*>(this + 1);
  }
  [[nodiscard]] std::uint8_t* payload() noexcept {
    return reinterpret_cast<std::uint8_t*>(this + 1);
  }
  // Octets of block b's raw signature; p points at the block's SKI index.
  [[nodiscard]] static std::uint16_t raw_length(const std::uint8_t* p) noexcept {
    std::uint16_t length = 0;
    std::memcpy(&length, p + kIndexSize, kLengthSize);
    return length;
  }
  [[nodiscard]] std::size_t block_size(std::size_t b, const std::uint8_t* p) const noexcept {
    return kIndexSize + (is_compact(b) ? crypto::p256::kCompactSignatureSize
                                       : kLengthSize + std::size_t{raw_length(p)});
  }
  [[nodiscard]] std::size_t payload_size() const noexcept {
    std::size_t size = 0;
    for (std::size_t b = 0, n = blocks(); b < n; ++b) {
      size += block_size(b, payload() + size);
    }
    return size;
  }
  // Block b's octets: the SKI index, then the signature as kept.
  [[nodiscard]] const std::uint8_t* block_octets(std::size_t b) const noexcept {
    const std::uint8_t* p = payload();
    for (std::size_t i = 0; i < b; ++i) {
      p += block_size(i, p);
    }
    return p;
  }
  [[nodiscard]] SkiPool::Index ski_index(std::size_t b) const noexcept {
    SkiPool::Index index = 0;
    std::memcpy(&index, block_octets(b), kIndexSize);
    return index;
  }
  [[nodiscard]] const base::Ski& ski(std::size_t b) const noexcept {
    return SkiPool::instance().at(ski_index(b));
  }
  // Block b's signature octets as received: in `buffer` when kept as r ‖ s.
  [[nodiscard]] std::span<const std::uint8_t> signature(
      std::size_t b,
      std::array<std::uint8_t, crypto::p256::kMaxDerSignatureSize>& buffer) const noexcept {
    const std::uint8_t* p = block_octets(b) + kIndexSize;
    if (is_compact(b)) {
      crypto::p256::CompactSignature rs;
      std::memcpy(rs.data(), p, rs.size());
      return {buffer.data(), crypto::p256::der_from_compact(rs, buffer)};
    }
    return {p + kLengthSize, raw_length(p - kIndexSize)};
  }

  // Hop `hop` of `path` with the older hops in `next` (whose reference it takes over on
  // success); `prepared` is PreparedPath(path, blocks).view().
  static const SignatureNode* make(const wire::BgpsecPath& path,
                                   std::span<const PreparedSignature> prepared, std::size_t blocks,
                                   std::size_t hop, const SignatureNode* next) {
    std::size_t size = 0;
    for (std::size_t b = 0; b < blocks; ++b) {
      const auto& p = prepared[hop * blocks + b];
      size +=
          kIndexSize +
          (p.compact ? p.rs.size() : kLengthSize + path.blocks[b].segments[hop].signature.size());
    }
    void* memory = allocate(sizeof(SignatureNode) + size);
    auto* node = new (memory) SignatureNode;
    std::uint32_t bits = 1U | static_cast<std::uint32_t>(blocks) << kBlocksShift;
    for (std::size_t b = 0; b < blocks; ++b) {
      if (prepared[hop * blocks + b].compact) {
        bits |= 1U << (kCompactShift + b);
      }
    }
    node->word.store(bits, std::memory_order_relaxed);
    std::uint8_t* out = node->payload();
    std::size_t acquired = 0;
    try {
      for (; acquired < blocks; ++acquired) {
        const auto& seg = path.blocks[acquired].segments[hop];
        const auto& p = prepared[hop * blocks + acquired];
        const SkiPool::Index index = SkiPool::instance().acquire(seg.ski);
        std::memcpy(out, &index, kIndexSize);
        out += kIndexSize;
        if (p.compact) {
          std::memcpy(out, p.rs.data(), p.rs.size());
          out += p.rs.size();
          continue;
        }
        // At most 0xFFFF: store() checked (a 2-octet field on the wire, RFC 8205 §3.2).
        assert(seg.signature.size() <= 0xFFFF);
        const auto length = static_cast<std::uint16_t>(seg.signature.size());
        std::memcpy(out, &length, kLengthSize);
        out += kLengthSize;
        if (length != 0) {
          std::memcpy(out, seg.signature.data(), length);
        }
        out += length;
      }
    } catch (...) {
      node->release_skis(acquired);
      node->~SignatureNode();
      deallocate(memory, sizeof(SignatureNode) + size);
      throw;
    }
    node->set_next(next);
    count(g_nodes, 1);
    count(g_bytes, static_cast<std::int64_t>(sizeof(SignatureNode) + size));
    return node;
  }

  void release_skis(std::size_t count) const noexcept {
    for (std::size_t b = 0; b < count; ++b) {
      SkiPool::instance().release(ski_index(b));
    }
  }

  // Drops a reference to `node` and frees what no one references any more, down the list.
  static void release(const SignatureNode* node) noexcept {
    while (node != nullptr && node->drop_ref()) {
      const SignatureNode* next = node->next();
      const std::size_t size = sizeof(SignatureNode) + node->payload_size();
      count(g_nodes, -1);
      count(g_bytes, -static_cast<std::int64_t>(size));
      node->release_skis(node->blocks());
      node->~SignatureNode();
      deallocate(const_cast<SignatureNode*>(node), size);
      node = next;
    }
  }

  // The node `count` hops older than this one (this one for 0), or null past the origin's.
  [[nodiscard]] const SignatureNode* older(std::size_t count) const noexcept {
    const SignatureNode* node = this;
    for (std::size_t i = 0; i < count && node != nullptr; ++i) {
      node = node->next();
    }
    return node;
  }

  // Hop `hop` of `path` carries exactly these Signature_Segments. A signature is kept as r ‖ s
  // exactly when it is strict DER, so equal octets as received are equal octets as kept.
  [[nodiscard]] bool holds(const wire::BgpsecPath& path,
                           std::span<const PreparedSignature> prepared,
                           std::size_t hop) const noexcept {
    const std::size_t n = blocks();  // the path's too: store() compares them first
    for (std::size_t b = 0; b < n; ++b) {
      const auto& seg = path.blocks[b].segments[hop];
      const auto& mine = prepared[hop * n + b];
      if (mine.compact != is_compact(b) || seg.ski != ski(b)) {
        return false;
      }
      const std::uint8_t* block = block_octets(b);
      const std::uint8_t* sig = block + kIndexSize;
      const bool same = mine.compact
                            ? std::memcmp(sig, mine.rs.data(), mine.rs.size()) == 0
                            : std::equal(sig + kLengthSize, sig + kLengthSize + raw_length(block),
                                         seg.signature.begin(), seg.signature.end());
      if (!same) {
        return false;
      }
    }
    return true;
  }

  // Equal SKIs have one index, and each signature one stored form: equal octets are equal
  // Signature_Segments.
  [[nodiscard]] bool same_octets(const SignatureNode& other) const noexcept {
    // The top byte of both words: blocks and compact bits.
    if ((bits() & ~kRefsMask) != (other.bits() & ~kRefsMask)) {
      return false;
    }
    const std::size_t size = payload_size();
    return size == other.payload_size() && std::memcmp(payload(), other.payload(), size) == 0;
  }
};

// The shared value: counts, suites, the newest hop's signatures; followed in the same
// allocation by the Secure_Path segments.
struct StoredBgpsecPath::Head {
  mutable std::atomic<std::uint32_t> refs{1};
  std::uint16_t hops = 0;
  std::uint8_t blocks = 0;
  std::array<std::uint8_t, kMaxBlocks> suites{};
  const SignatureNode* top = nullptr;

  [[nodiscard]] const wire::SecurePathSegment* segments() const noexcept {
    return std::launder(reinterpret_cast<const wire::SecurePathSegment*>(this + 1));
  }
  [[nodiscard]] static std::size_t allocation_size(std::size_t hops) noexcept {
    return sizeof(Head) + hops * sizeof(wire::SecurePathSegment);
  }
};

StoredBgpsecPath::StoredBgpsecPath(const StoredBgpsecPath& other) noexcept : head_(other.head_) {
  if (head_ != nullptr) {
    head_->refs.fetch_add(1, std::memory_order_relaxed);
  }
}

StoredBgpsecPath::~StoredBgpsecPath() {
  if (head_ == nullptr || head_->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) {
    return;
  }
  SignatureNode::release(head_->top);
  count(g_paths, -1);
  count(g_hops, -static_cast<std::int64_t>(head_->hops));
  count(g_bytes, -static_cast<std::int64_t>(Head::allocation_size(head_->hops)));
  head_->~Head();
  ::operator delete(head_);
}

StoredBgpsecPath StoredBgpsecPath::store(const wire::BgpsecPath& path,
                                         std::span<const StoredBgpsecPath* const> share_with) {
  // The Secure_Path segments follow the header without padding.
  static_assert(sizeof(Head) % alignof(wire::SecurePathSegment) == 0);
  // Only what decode_bgpsec_path can give: a Secure_Path whose 2-octet length field can hold
  // it (RFC 8205 §3.1), at most two blocks, one Signature_Segment per Secure_Path segment in
  // each (RFC 8205 §5.2 checks); anything else is not stored.
  const std::size_t hops = path.secure_path.size();
  const std::size_t blocks = path.blocks.size();
  if (blocks > kMaxBlocks || hops > 0xFFFF) {
    return {};
  }
  for (const auto& block : path.blocks) {
    if (block.segments.size() != hops || std::any_of(block.segments.begin(), block.segments.end(),
                                                     [](const wire::SignatureSegment& seg) {
                                                       return seg.signature.size() > 0xFFFF;
                                                     })) {
      return {};  // a signature length is a 2-octet field (RFC 8205 §3.2)
    }
  }
  const PreparedPath prepared_path(path, blocks);
  const std::span<const PreparedSignature> prepared = prepared_path.view();

  // The candidate sharing the most least-recent hops: walk both lists aligned at the origin;
  // the common part is what follows the last mismatch.
  const SignatureNode* shared = nullptr;  // newest shared node
  std::size_t shared_count = 0;
  const Head* same = nullptr;  // a candidate equal in everything
  for (const StoredBgpsecPath* candidate : share_with) {
    if (candidate == nullptr || candidate->head_ == nullptr) {
      continue;
    }
    const Head& other = *candidate->head_;
    if (other.blocks != blocks || other.hops == 0 ||
        !std::equal(other.suites.begin(), other.suites.begin() + blocks, path.blocks.begin(),
                    path.blocks.begin() + static_cast<std::ptrdiff_t>(blocks),
                    [](std::uint8_t suite, const wire::SignatureBlock& block) {
                      return suite == block.suite;
                    })) {
      continue;
    }
    const std::size_t common = std::min<std::size_t>(hops, other.hops);
    std::size_t hop = hops - common;  // our first aligned hop
    const SignatureNode* node = other.top->older(other.hops - common);
    const SignatureNode* run_start = nullptr;
    std::size_t run = 0;
    for (; node != nullptr && hop < hops; ++hop, node = node->next()) {
      if (node->holds(path, prepared, hop)) {
        if (run == 0) {
          run_start = node;
        }
        ++run;
      } else {
        run = 0;
        run_start = nullptr;
      }
    }
    // (A node with kMaxRefs references is not shared again; never the case with real peers.)
    if (run > shared_count && run_start->ref_count() < SignatureNode::kMaxRefs) {
      shared_count = run;
      shared = run_start;
    }
    if (run == hops && other.hops == hops &&
        std::equal(path.secure_path.begin(),
                   path.secure_path.begin() + static_cast<std::ptrdiff_t>(hops),
                   other.segments())) {
      same = &other;
      break;
    }
  }
  if (same != nullptr) {
    same->refs.fetch_add(1, std::memory_order_relaxed);
    return StoredBgpsecPath(const_cast<Head*>(same));
  }

  // The list built so far, released if an allocation throws.
  struct Building {
    const SignatureNode* top = nullptr;
    ~Building() { SignatureNode::release(top); }
  } building{shared};
  if (shared != nullptr) {
    shared->add_ref();
  }
  for (std::size_t hop = hops - shared_count; hop-- > 0;) {
    building.top = SignatureNode::make(path, prepared, blocks, hop, building.top);
  }

  const std::size_t size = Head::allocation_size(hops);
  void* memory = ::operator new(size);
  auto* head = new (memory) Head;
  const SignatureNode* top = std::exchange(building.top, nullptr);
  head->hops = static_cast<std::uint16_t>(hops);
  head->blocks = static_cast<std::uint8_t>(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    head->suites[b] = path.blocks[b].suite;
  }
  head->top = top;
  auto* segments = reinterpret_cast<wire::SecurePathSegment*>(head + 1);
  for (std::size_t i = 0; i < hops; ++i) {
    new (segments + i) wire::SecurePathSegment(path.secure_path[i]);
  }
  count(g_paths, 1);
  count(g_hops, static_cast<std::int64_t>(hops));
  count(g_bytes, static_cast<std::int64_t>(size));
  return StoredBgpsecPath(head);
}

std::span<const wire::SecurePathSegment> StoredBgpsecPath::secure_path() const noexcept {
  if (head_ == nullptr) {
    return {};
  }
  return {head_->segments(), head_->hops};
}

std::size_t StoredBgpsecPath::block_count() const noexcept {
  return head_ == nullptr ? 0 : head_->blocks;
}

std::uint8_t StoredBgpsecPath::suite(std::size_t block) const noexcept {
  return head_ == nullptr || block >= head_->blocks ? 0 : head_->suites[block];
}

bool StoredBgpsecPath::any_signature(const std::function<bool(const SignatureRef&)>& fn) const {
  if (head_ == nullptr) {
    return false;
  }
  std::array<std::uint8_t, crypto::p256::kMaxDerSignatureSize> buffer{};
  std::size_t hop = 0;
  for (const SignatureNode* node = head_->top; node != nullptr; node = node->next(), ++hop) {
    for (std::size_t b = 0, n = node->blocks(); b < n; ++b) {
      if (fn(SignatureRef{hop, b, &node->ski(b), node->signature(b, buffer)})) {
        return true;
      }
    }
  }
  return false;
}

bool StoredBgpsecPath::signed_with_any(const std::set<rpki::RouterKeyId>& keys) const {
  const auto segments = secure_path();
  return any_signature([&](const SignatureRef& sig) {
    return keys.contains({segments[sig.hop].asn, *sig.ski});
  });
}

wire::BgpsecPath StoredBgpsecPath::decode() const {
  wire::BgpsecPath path;
  if (head_ == nullptr) {
    return path;
  }
  const auto segments = secure_path();
  path.secure_path.assign(segments.begin(), segments.end());
  path.blocks.resize(head_->blocks);
  for (std::size_t b = 0; b < head_->blocks; ++b) {
    path.blocks[b].suite = head_->suites[b];
    path.blocks[b].segments.reserve(head_->hops);
  }
  std::array<std::uint8_t, crypto::p256::kMaxDerSignatureSize> buffer{};
  for (const SignatureNode* node = head_->top; node != nullptr; node = node->next()) {
    for (std::size_t b = 0; b < head_->blocks; ++b) {
      const auto sig = node->signature(b, buffer);
      path.blocks[b].segments.push_back(
          wire::SignatureSegment{node->ski(b), base::Bytes(sig.begin(), sig.end())});
    }
  }
  return path;
}

bool operator==(const StoredBgpsecPath& a, const StoredBgpsecPath& b) noexcept {
  if (a.head_ == b.head_) {
    return true;
  }
  if (a.head_ == nullptr || b.head_ == nullptr) {
    return false;
  }
  const auto& x = *a.head_;
  const auto& y = *b.head_;
  if (x.hops != y.hops || x.blocks != y.blocks || x.suites != y.suites ||
      !std::equal(x.segments(), x.segments() + x.hops, y.segments())) {
    return false;
  }
  const StoredBgpsecPath::SignatureNode* p = x.top;
  const StoredBgpsecPath::SignatureNode* q = y.top;
  for (; p != q; p = p->next(), q = q->next()) {  // equal hops counts: both end together
    if (p == nullptr || q == nullptr || !p->same_octets(*q)) {
      return false;
    }
  }
  return true;
}

std::size_t StoredBgpsecPath::shared_hops() const noexcept {
  if (head_ == nullptr) {
    return 0;
  }
  std::size_t hop = 0;
  for (const SignatureNode* node = head_->top; node != nullptr; node = node->next(), ++hop) {
    // A node is referenced by its newer neighbour (or the head); more means another path's
    // list leads to it too, and then to everything below.
    if (node->ref_count() > 1) {
      return head_->hops - hop;
    }
  }
  return 0;
}

StoredBgpsecPath::Usage StoredBgpsecPath::usage() noexcept {
  const auto pool = SignatureNode::pool().usage();
  return Usage{g_paths.load(std::memory_order_relaxed),
               g_hops.load(std::memory_order_relaxed),
               g_nodes.load(std::memory_order_relaxed),
               g_bytes.load(std::memory_order_relaxed),
               pool.slots_in_use,
               pool.bytes};
}

}  // namespace bgpsecd::rib
