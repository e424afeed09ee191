// The Poseidon2 permutation on `kLanes` states at once, written once for every SIMD width.
//
// Included (only) by poseidon2_avx2.cpp and poseidon2_avx512.cpp inside their
// `#pragma GCC target` region and an anonymous namespace, after they define:
//   V                         a vector of kLanes 32-bit words (one word per state: lanes = states)
//   kLanes                    the number of lanes
//   V splat(uint32_t)         every lane = the word
//   V add(V, V), V mul(V, V)  F_p addition and Montgomery multiplication on canonical words
//   ConstMul make_const(uint32_t raw), V mul_const(V, const ConstMul&)
//                             multiplication by a fixed field element with precomputed helpers
//
// The state is 16 vectors s[0..16): s[i] holds element i of kLanes states. Every arithmetic step
// is the scalar reference's (poseidon2.hpp) applied lane-wise, with the same canonical Montgomery
// words in and out, so the outputs are bit-identical.

// y = M4 x (the Horizen Labs addition chain, as poseidon2_detail::apply_m4).
[[gnu::always_inline]] inline void simd_m4(V& x0, V& x1, V& x2, V& x3) {
  const V t0 = add(x0, x1);
  const V t1 = add(x2, x3);
  const V t2 = add(add(x1, x1), t1);
  const V t3 = add(add(x3, x3), t0);
  const V t1x2 = add(t1, t1);
  const V t0x2 = add(t0, t0);
  const V t4 = add(add(t1x2, t1x2), t3);
  const V t5 = add(add(t0x2, t0x2), t2);
  x0 = add(t3, t5);
  x1 = t5;
  x2 = add(t2, t4);
  x3 = t4;
}

[[gnu::always_inline]] inline void simd_external_layer(V* s) {
  simd_m4(s[0], s[1], s[2], s[3]);
  simd_m4(s[4], s[5], s[6], s[7]);
  simd_m4(s[8], s[9], s[10], s[11]);
  simd_m4(s[12], s[13], s[14], s[15]);
  for (int j = 0; j < 4; ++j) {
    const V column = add(add(s[j], s[4 + j]), add(s[8 + j], s[12 + j]));
    s[j] = add(s[j], column);
    s[4 + j] = add(s[4 + j], column);
    s[8 + j] = add(s[8 + j], column);
    s[12 + j] = add(s[12 + j], column);
  }
}

// x^7 = x^3 * x^4: 4 multiplications, depth 3.
[[gnu::always_inline]] inline V simd_sbox(V x) {
  const V x2 = mul(x, x);
  const V x3 = mul(x2, x);
  const V x4 = mul(x2, x2);
  return mul(x3, x4);
}

[[gnu::always_inline]] inline void simd_full_round(V* s, const uint32_t* rc) {
  for (int i = 0; i < 16; ++i) s[i] = simd_sbox(add(s[i], splat(rc[i])));
  simd_external_layer(s);
}

// The 13 partial rounds. Only element 0 goes through the S-box; meanwhile the sum of the other 15
// and their products d_i x_i do not depend on it, so they are formed while the S-box chain runs.
[[gnu::always_inline]] inline void simd_partial_rounds(V* s) {
  const auto& c = kPoseidon2Constants;
  ConstMul diag[16];
  for (int i = 0; i < 16; ++i) diag[i] = make_const(c.internal_diag[i]);
  for (size_t r = 0; r < kPoseidon2PartialRounds; ++r) {
    const V s0 = simd_sbox(add(s[0], splat(c.internal[r])));
    // Balanced tree of the other 15 (depth 4), then element 0.
    const V a = add(add(s[1], s[2]), add(s[3], s[4]));
    const V b = add(add(s[5], s[6]), add(s[7], s[8]));
    const V d = add(add(s[9], s[10]), add(s[11], s[12]));
    const V e = add(add(s[13], s[14]), s[15]);
    const V sum = add(s0, add(add(a, b), add(d, e)));
    s[0] = add(sum, mul_const(s0, diag[0]));
    for (int i = 1; i < 16; ++i) s[i] = add(sum, mul_const(s[i], diag[i]));
  }
}

[[gnu::always_inline]] inline void simd_permute(V* s) {
  const auto& c = kPoseidon2Constants;
  simd_external_layer(s);
  for (size_t r = 0; r < kPoseidon2HalfFullRounds; ++r) simd_full_round(s, c.external[r]);
  simd_partial_rounds(s);
  for (size_t r = kPoseidon2HalfFullRounds; r < kPoseidon2FullRounds; ++r) {
    simd_full_round(s, c.external[r]);
  }
}
