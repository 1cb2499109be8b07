#pragma once
// An ordered set for entries that come and go at every start and finish: an
// entry is erased through the iterator its insert returned (no search), and
// the node it leaves is kept for the next insert, so once the set has held
// as many entries as it will, inserts and erases allocate nothing.
#include <set>
#include <utility>
#include <vector>

namespace fastgpu {

template <class T>
class ReusingSet {
 public:
  using Set = std::set<T>;
  using iterator = typename Set::iterator;

  const Set& items() const { return set_; }

  // The entry's position; an equal entry already there is left as it is.
  iterator insert(const T& value) {
    if (spare_.empty()) return set_.insert(value).first;
    typename Set::node_type node = std::move(spare_.back());
    spare_.pop_back();
    node.value() = value;
    auto inserted = set_.insert(std::move(node));
    if (!inserted.inserted) spare_.push_back(std::move(inserted.node));
    return inserted.position;
  }

  void erase(iterator it) { spare_.push_back(set_.extract(it)); }

 private:
  Set set_;
  std::vector<typename Set::node_type> spare_;  // nodes of erased entries
};

}  // namespace fastgpu
