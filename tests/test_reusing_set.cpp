// ReusingSet: erase through the iterator an insert returned, erased nodes
// reused by later inserts; checked against a plain std::set under random
// inserts and erases, and by hand for equal entries.
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <vector>

#include "policies/reusing_set.h"

using namespace fastgpu;

TEST_CASE("reusing set: an equal entry is kept once, an erased one can come back") {
  ReusingSet<int> set;
  const auto five = set.insert(5);
  set.insert(3);
  CHECK(set.insert(5) == five);  // equal: the entry already there
  CHECK(set.items() == std::set<int>{3, 5});
  set.erase(five);
  CHECK(set.items() == std::set<int>{3});
  set.insert(7);  // takes the erased node
  set.insert(1);  // a new node
  const auto three = set.items().find(3);
  CHECK(set.insert(3) == three);  // equal while a spare node is there: the spare stays for the next insert
  set.insert(4);
  CHECK(set.items() == std::set<int>{1, 3, 4, 7});
}

TEST_CASE("reusing set: the same contents as a std::set under random inserts and erases") {
  std::mt19937_64 rng(11);
  constexpr int kValues = 200;
  ReusingSet<int> set;
  std::set<int> reference;
  std::vector<ReusingSet<int>::iterator> where(kValues);
  std::vector<char> in(kValues, 0);
  for (int step = 0; step < 20000; ++step) {
    const int v = static_cast<int>(rng() % kValues);
    if (in[v]) {
      set.erase(where[v]);
      reference.erase(v);
      in[v] = 0;
    } else {
      where[v] = set.insert(v);
      reference.insert(v);
      in[v] = 1;
    }
    if (step % 101 == 0) REQUIRE(set.items() == reference);
  }
  CHECK(set.items() == reference);
}
