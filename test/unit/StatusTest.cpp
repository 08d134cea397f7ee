#include "snnc/runtime/Status.h"

#include <gtest/gtest.h>

using namespace snnc;

TEST(Status, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.isOk());
  EXPECT_EQ(s.toString(), "ok");
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = notFound("input 'x' does not exist");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.toString(), "not-found: input 'x' does not exist");
}

TEST(StatusOr, HoldsValueOrError) {
  StatusOr<int> v = 42;
  ASSERT_TRUE(v.isOk());
  EXPECT_EQ(*v, 42);
  StatusOr<int> e = invalidArgument("T must be positive");
  EXPECT_FALSE(e.isOk());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
}

TEST(StatusOr, OkStatusWithoutValueBecomesInternalError) {
  StatusOr<int> e = Status::ok();
  EXPECT_FALSE(e.isOk());
  EXPECT_EQ(e.status().code(), StatusCode::kInternal);
}
