#include "stark/keys.hpp"

#include <bit>

#include "common/check.hpp"
#include "stark/machine.hpp"
#include "stark/proof.hpp"

namespace tessera {

ProvingKey setup(const Machine& machine, const std::string& config, Backend& backend) {
  ProvingKey pk;
  pk.config = stark_config(config);
  pk.vk.config = config;
  pk.vk.machine = machine.name();
  const size_t T = machine.num_tables();
  pk.vk.preprocessed_log_heights.assign(T, -1);
  pk.preprocessed_traces.resize(T);
  pk.preprocessed_matrix.assign(T, -1);
  std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> to_commit;
  for (size_t t = 0; t < T; ++t) {
    const TableLayout& l = machine.layout(t);
    if (l.preprocessed_width == 0) continue;
    RowMajorMatrix<BabyBear> trace = machine.table(t).preprocessed_trace();
    const size_t h = trace.height();
    TESSERA_CHECK(trace.width() == l.preprocessed_width && h > 0 && std::has_single_bit(h),
                  ErrorKind::InvalidArgument,
                  "table " << l.name << ": preprocessed trace is " << h << " x " << trace.width()
                           << ", expected a power-of-two height and width "
                           << l.preprocessed_width);
    const auto log_h = static_cast<uint32_t>(std::countr_zero(h));
    TESSERA_CHECK(log_h <= max_log_height(pk.config.fri), ErrorKind::InvalidArgument,
                  "table " << l.name << ": preprocessed trace of 2^" << log_h
                           << " rows is too tall for configuration " << config);
    pk.vk.preprocessed_log_heights[t] = static_cast<int32_t>(log_h);
    pk.preprocessed_matrix[t] = static_cast<int32_t>(to_commit.size());
    to_commit.emplace_back(TwoAdicDomain::natural(log_h), trace);
    pk.preprocessed_traces[t] = std::move(trace);
  }
  if (!to_commit.empty()) {
    FriPcs pcs(pk.config.fri, backend);
    pk.vk.preprocessed_commitment = pcs.commit(std::move(to_commit), pk.committed);
  }
  return pk;
}

}  // namespace tessera
