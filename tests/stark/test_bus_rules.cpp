// The LogUp bus rules (stark/bus_rules.hpp): bus ids below p and one arity per bus when a machine
// is built, declared multiplicity bounds and the lookup-table side, and the wrap-around bound
// checked by the prover (actual heights) and the verifier (the proof's heights).
#include <gtest/gtest.h>

#include <string>

#include "stark/bus_rules.hpp"
#include "stark_test_util.hpp"

namespace tessera {
namespace {

using test::insecure_ok;
using test::prove_with;

constexpr uint32_t kP = BabyBear::kModulus;

// Sends (x, y) with multiplicity m on `bus`, m declared at most `max_mult`. Columns x, y, m.
struct PairSender : AirBase {
  uint32_t bus = 3;
  uint32_t max_mult = 1;
  std::string name() const { return "pair_sender"; }
  size_t width() const { return 3; }
  template <class AB>
  void eval(AB& b) const {
    const auto m = b.main();
    b.send(bus, {m.local(0), m.local(1)}, m.local(2), max_mult);
  }
};

// Receives (x, y) with multiplicity m on `bus`: bounded (default 1) or the lookup-table side.
struct PairReceiver : AirBase {
  uint32_t bus = 3;
  bool lookup = false;
  InteractionKind lookup_kind = InteractionKind::Receive;
  std::string name() const { return lookup ? "pair_table" : "pair_receiver"; }
  size_t width() const { return 3; }
  template <class AB>
  void eval(AB& b) const {
    const auto m = b.main();
    if (!lookup) {
      b.receive(bus, {m.local(0), m.local(1)}, m.local(2));
    } else if (lookup_kind == InteractionKind::Receive) {
      b.receive_lookup(bus, {m.local(0), m.local(1)}, m.local(2));
    } else {
      b.send_lookup(bus, {m.local(0), m.local(1)}, m.local(2));
    }
  }
};

// Sends (x) on `bus`: another arity.
struct SingleSender : AirBase {
  uint32_t bus = 3;
  std::string name() const { return "single_sender"; }
  size_t width() const { return 1; }
  template <class AB>
  void eval(AB& b) const {
    b.send(bus, {b.main().local(0)}, BabyBear::one());
  }
};

PairSender sender(uint32_t bus, uint32_t max_mult = 1) {
  PairSender a;
  a.bus = bus;
  a.max_mult = max_mult;
  return a;
}
PairReceiver receiver(uint32_t bus, bool lookup = false,
                      InteractionKind kind = InteractionKind::Receive) {
  PairReceiver a;
  a.bus = bus;
  a.lookup = lookup;
  a.lookup_kind = kind;
  return a;
}
SingleSender single(uint32_t bus) {
  SingleSender a;
  a.bus = bus;
  return a;
}

std::string add_error(Machine& m, const auto& air) {
  try {
    m.add(air);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << e.what();
    return e.what();
  }
  return "";
}

TEST(BusRules, DeclarationsReachTheLayout) {
  Machine m("declared");
  m.add(sender(3, 5));
  m.add(receiver(3, true));
  m.add(receiver(3));
  const InteractionInfo& send = m.layout(0).interactions.at(0);
  EXPECT_EQ(send.kind, InteractionKind::Send);
  EXPECT_EQ(send.max_multiplicity, 5u);
  EXPECT_FALSE(send.lookup_table);
  const InteractionInfo& table = m.layout(1).interactions.at(0);
  EXPECT_EQ(table.kind, InteractionKind::Receive);
  EXPECT_TRUE(table.lookup_table);
  const InteractionInfo& receive = m.layout(2).interactions.at(0);
  EXPECT_EQ(receive.max_multiplicity, 1u);  // the default of receive(bus, values, m)
  EXPECT_FALSE(receive.lookup_table);
  // The range check's table is the lookup-table side, its limbs bounded by 1.
  const Machine r = test::range_machine();
  EXPECT_TRUE(r.layout(2).interactions.at(0).lookup_table);
  EXPECT_FALSE(r.layout(1).interactions.at(0).lookup_table);
  EXPECT_EQ(r.layout(1).interactions.at(0).max_multiplicity, 1u);
}

TEST(BusRules, BusIdsBelowP) {
  Machine m("ids");
  m.add(sender(kP - 1));
  const std::string e = add_error(m, receiver(kP));
  EXPECT_NE(e.find("bus 2013265921, not below p"), std::string::npos) << e;
  EXPECT_NE(e.find("pair_receiver"), std::string::npos) << e;
  EXPECT_EQ(m.num_tables(), 1u);
}

TEST(BusRules, OneArityPerBus) {
  Machine m("arity");
  m.add(sender(4));
  const std::string e = add_error(m, single(4));
  EXPECT_NE(e.find("LogUp bus 4 carries messages of 2 values in table pair_sender but of 1 values "
                   "in table single_sender"),
            std::string::npos)
      << e;
  EXPECT_EQ(m.num_tables(), 1u);  // the offending table was not added
  m.add(single(5));               // another bus is fine
  // Within one table too.
  std::vector<InteractionInfo> mixed = {{InteractionKind::Send, 9, 2, 1, 1},
                                        {InteractionKind::Receive, 9, 3, 1, 1}};
  const BusTable t{"mixed", mixed};
  EXPECT_THROW(check_bus_rules(std::span(&t, 1)), Error);
}

TEST(BusRules, DeclaredBoundsBelowP) {
  Machine m("bounds");
  m.add(sender(3, kP - 1));
  const std::string e = add_error(m, sender(6, kP));
  EXPECT_NE(e.find("declares the multiplicity bound 2013265921"), std::string::npos) << e;
}

TEST(BusRules, LookupSideFacesOneWay) {
  Machine m("lookup");
  m.add(sender(3));
  m.add(receiver(3, true));
  m.add(receiver(3, true));  // two tables on the same side: fine
  const std::string e = add_error(m, receiver(3, true, InteractionKind::Send));
  EXPECT_NE(e.find("LogUp bus 3: the lookup-table side receives in table pair_table but sends "
                   "in table pair_table"),
            std::string::npos)
      << e;
}

TEST(BusRules, WrapAroundBound) {
  // p = 15 * 2^27 + 1: bounds adding to 15 (both directions count) at 2^27 rows stay below p; one
  // more bounded message reaches p and is refused.
  std::vector<InteractionInfo> fifteen = {{InteractionKind::Send, 2, 1, 1, 1, 7},
                                          {InteractionKind::Receive, 2, 1, 1, 1, 8}};
  // A lookup-table side whatever it declares as max (unused): excluded.
  std::vector<InteractionInfo> table = {{InteractionKind::Receive, 2, 1, 1, 1, kP - 1, true}};
  std::vector<InteractionInfo> one = {{InteractionKind::Send, 2, 1, 1, 1, 1}};
  const std::vector<BusTable> below = {{"a", fifteen}, {"t", table}};
  // The lookup table's free count is excluded, whatever its height.
  EXPECT_EQ(bus_wraparound(below, std::vector<uint32_t>{27, 27}), "");
  const std::vector<BusTable> at_p = {{"a", fifteen}, {"t", table}, {"b", one}};
  const std::string e = bus_wraparound(at_p, std::vector<uint32_t>{27, 27, 0});
  EXPECT_NE(e.find("LogUp bus 2 could wrap around mod p: a (2^27 rows x bounds 15) + b (2^0 rows "
                   "x bounds 1) allow 2013265921 bounded messages, not below p = 2013265921"),
            std::string::npos)
      << e;
  // Other buses are independent: 1000 * 2^20 < p < 1000 * 2^21.
  std::vector<InteractionInfo> thousand = {{InteractionKind::Send, 5, 1, 1, 1, 1000}};
  const std::vector<BusTable> both = {{"a", fifteen}, {"k", thousand}};
  EXPECT_EQ(bus_wraparound(both, std::vector<uint32_t>{27, 20}), "");
  EXPECT_NE(bus_wraparound(both, std::vector<uint32_t>{27, 21}).find("LogUp bus 5"),
            std::string::npos);
  // Huge declarations do not overflow the arithmetic; the sum is reported as a lower bound.
  std::vector<InteractionInfo> huge(64, InteractionInfo{InteractionKind::Send, 1, 1, 1, 1, kP - 1});
  const std::vector<BusTable> h = {{"huge", huge}};
  EXPECT_NE(bus_wraparound(h, std::vector<uint32_t>{27}).find("allow at least"), std::string::npos);
}

// A shard whose declared bounds could wrap: 2^4 sender rows x bound 2^27 = 2^31 > p.
Machine wrapping_machine(uint32_t max_mult) {
  Machine m("wrap");
  m.add(sender(3, max_mult));
  m.add(receiver(3, true));
  return m;
}
std::vector<TableWitness> pair_witness(uint32_t log_n) {
  const size_t n = size_t{1} << log_n;
  RowMajorMatrix<BabyBear> s(3, n), r(3, n);
  for (size_t i = 0; i < n; ++i) {
    for (RowMajorMatrix<BabyBear>* t : {&s, &r}) {
      t->at(i, 0) = BabyBear::from_u32(static_cast<uint32_t>(i));
      t->at(i, 1) = BabyBear::from_u32(static_cast<uint32_t>(3 * i + 1));
      t->at(i, 2) = BabyBear::one();
    }
  }
  return {{std::move(s), {}}, {std::move(r), {}}};
}

TEST(BusRules, ProverRefusesHeightsThatCouldWrap) {
  const Machine ok = wrapping_machine(1u << 26);  // 2^4 * 2^26 = 2^30 < p
  const auto p = prove_with(ok, pair_witness(4));
  EXPECT_NO_THROW(verify_bytes(ok, p.pk.vk, p.bytes, insecure_ok()));
  const Machine wraps = wrapping_machine(1u << 27);
  try {
    prove_with(wraps, pair_witness(4));
    FAIL() << "a shard whose bus 3 could wrap was proved";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("LogUp bus 3 could wrap around mod p: pair_sender "
                                         "(2^4 rows x bounds 134217728)"),
              std::string::npos)
        << e.what();
  }
}

TEST(BusRules, VerifierRefusesHeightsThatCouldWrap) {
  const Machine m = wrapping_machine(1u << 26);
  test::Proved p = prove_with(m, pair_witness(4));
  p.proof.log_heights[0] = 5;  // 2^5 * 2^26 = 2^31 > p
  try {
    verify(m, p.pk.vk, p.proof, insecure_ok());
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed);
    EXPECT_NE(std::string(e.what()).find("LogUp bus 3 could wrap around mod p"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace tessera
