// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/srx_transport.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "srx/pdu.hpp"
#include "srx/test_vectors.hpp"

namespace bgpsecd::validation_server {
namespace {

using asio::ip::tcp;

base::Bytes encode(const srx::SrxPdu& pdu) {
  auto bytes = srx::encode_srx_pdu(pdu);
  EXPECT_TRUE(bytes.has_value());
  return bytes ? *bytes : base::Bytes{};
}

// A transport on 127.0.0.1 with a blocking client socket; the io_context runs in steps.
class SrxTransportTest : public ::testing::Test {
 protected:
  SrxTransportTest()
      : transport_(
            io_,
            SrxTransport::Handlers{
                .connected =
                    [this](const std::string& peer) {
                      peers_.push_back(peer);
                      return ++next_id_;
                    },
                .received = [this](SrxTransport::ConnectionId id,
                                   const srx::SrxPdu& pdu) { received_.emplace_back(id, pdu); },
                .malformed = [this](
                                 SrxTransport::ConnectionId id,
                                 const srx::SrxError& error) { errors_.emplace_back(id, error); },
                .disconnected = [this](SrxTransport::ConnectionId id,
                                       const std::string& why) { gone_.emplace_back(id, why); },
            },
            SrxTransport::Options{}) {
    EXPECT_TRUE(transport_.listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)));
    client_.connect(transport_.local_endpoints().at(0));
    run_until([&] { return next_id_ == 1; });
  }

  template <class Done>
  void run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.run_for(std::chrono::milliseconds(10));
      io_.restart();
    }
    ASSERT_TRUE(done());
  }

  base::Bytes read_exactly(std::size_t n) {
    base::Bytes out(n);
    asio::read(client_, asio::buffer(out));
    return out;
  }

  asio::io_context io_;
  std::vector<std::string> peers_;
  SrxTransport::ConnectionId next_id_ = 0;
  std::vector<std::pair<SrxTransport::ConnectionId, srx::SrxPdu>> received_;
  std::vector<std::pair<SrxTransport::ConnectionId, srx::SrxError>> errors_;
  std::vector<std::pair<SrxTransport::ConnectionId, std::string>> gone_;
  SrxTransport transport_;
  asio::io_context client_io_;
  tcp::socket client_{client_io_};
};

TEST_F(SrxTransportTest, APduSplitAcrossWritesIsHandedOverWhole) {
  EXPECT_EQ(peers_.at(0).rfind("127.0.0.1:", 0), 0u);
  const base::Bytes hello = encode(srx::test::hello_pdu(7, 65001));
  const base::Bytes goodbye = encode(srx::GoodbyePdu{.keep_window = 900});
  asio::write(client_, asio::buffer(hello.data(), 5));
  io_.run_for(std::chrono::milliseconds(50));
  io_.restart();
  EXPECT_TRUE(received_.empty());
  base::Bytes rest(hello.begin() + 5, hello.end());
  rest.insert(rest.end(), goodbye.begin(), goodbye.end());
  asio::write(client_, asio::buffer(rest));
  run_until([&] { return received_.size() == 2; });
  EXPECT_EQ(received_[0].first, 1u);
  EXPECT_EQ(std::get<srx::HelloPdu>(received_[0].second).proxy_id, 7u);
  EXPECT_EQ(std::get<srx::GoodbyePdu>(received_[1].second).keep_window, 900);
  EXPECT_TRUE(errors_.empty());
}

TEST_F(SrxTransportTest, OutputKeepsTheOrderOfSendAndCloseComesAfterIt) {
  const base::Bytes receipt = encode(srx::VerifyNotificationPdu{.result_type = 0x83,
                                                                .roa_result = 3,
                                                                .bgpsec_result = 3,
                                                                .aspa_result = 3,
                                                                .request_token = 1,
                                                                .update_id = 0x2e427f2b});
  const base::Bytes result = encode(srx::VerifyNotificationPdu{.result_type = 0x01,
                                                               .roa_result = 0,
                                                               .bgpsec_result = 3,
                                                               .aspa_result = 3,
                                                               .request_token = 0,
                                                               .update_id = 0x2e427f2b});
  transport_.send(1, receipt);
  transport_.send(1, result);
  transport_.close(1);
  run_until([&] { return gone_.size() == 1; });
  EXPECT_EQ(read_exactly(20), receipt);
  EXPECT_EQ(read_exactly(20), result);
  asio::error_code ec;
  std::array<std::uint8_t, 1> more{};
  client_.read_some(asio::buffer(more), ec);
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_EQ(gone_[0].second, "closed by the server");
}

TEST_F(SrxTransportTest, ABrokenLengthIsReportedOnceAndNothingMoreIsRead) {
  // Length 11: below the header size, the stream's boundaries are lost.
  const base::Bytes broken{0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11};
  const base::Bytes goodbye = encode(srx::GoodbyePdu{});
  asio::write(client_, asio::buffer(broken));
  asio::write(client_, asio::buffer(goodbye));
  run_until([&] { return errors_.size() == 1; });
  io_.run_for(std::chrono::milliseconds(50));
  EXPECT_EQ(errors_.size(), 1u);
  EXPECT_EQ(errors_[0].second.code, srx::SrxErrorCode::InvalidPacket);
  EXPECT_TRUE(received_.empty());
}

TEST_F(SrxTransportTest, AnUndecodablePduIsReportedAndTheNextOneStillArrives) {
  base::Bytes unknown{0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12};  // type 12 does not exist
  const base::Bytes goodbye = encode(srx::GoodbyePdu{.keep_window = 5});
  unknown.insert(unknown.end(), goodbye.begin(), goodbye.end());
  asio::write(client_, asio::buffer(unknown));
  run_until([&] { return errors_.size() == 1 && received_.size() == 1; });
  EXPECT_EQ(errors_[0].second.code, srx::SrxErrorCode::InvalidPacket);
  EXPECT_EQ(std::get<srx::GoodbyePdu>(received_[0].second).keep_window, 5);
}

TEST_F(SrxTransportTest, TheProxyClosingIsReported) {
  client_.close();
  run_until([&] { return gone_.size() == 1; });
  EXPECT_EQ(gone_[0].first, 1u);
  EXPECT_EQ(gone_[0].second, "closed by the proxy");
  EXPECT_EQ(transport_.connection_count(), 0u);
}

// Handlers for one connection (ID 1) that only watch `received` and `disconnected`.
SrxTransport::Handlers one_connection(
    std::function<void(SrxTransport::ConnectionId, const srx::SrxPdu&)> received,
    std::function<void(SrxTransport::ConnectionId, const std::string&)> disconnected) {
  return SrxTransport::Handlers{
      .connected = [](const std::string&) { return SrxTransport::ConnectionId{1}; },
      .received = std::move(received),
      .malformed = [](SrxTransport::ConnectionId, const srx::SrxError&) {},
      .disconnected = std::move(disconnected),
  };
}

void ignore_pdu(SrxTransport::ConnectionId, const srx::SrxPdu&) {}

// A client connected to `transport`, once the transport has accepted it.
void connect_client(asio::io_context& io, SrxTransport& transport, tcp::socket& client) {
  ASSERT_TRUE(transport.listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)));
  client.connect(transport.local_endpoints().at(0));
  while (transport.connection_count() == 0) {
    io.run_one_for(std::chrono::milliseconds(100));
  }
}

TEST(SrxTransportLimits, AProxyThatDoesNotReadIsDroppedAtTheQueueLimit) {
  asio::io_context io;
  std::vector<std::string> why;
  SrxTransport transport(
      io,
      one_connection(ignore_pdu,
                     [&](SrxTransport::ConnectionId, const std::string& w) { why.push_back(w); }),
      SrxTransport::Options{.max_queued_bytes = 1000});
  asio::io_context client_io;
  tcp::socket client(client_io);
  connect_client(io, transport, client);
  // Queued within one handler turn: nothing can be written in between, so 51 PDUs of 20
  // bytes exceed 1000 bytes.
  for (int i = 0; i < 51; ++i) {
    transport.send(1, base::Bytes(20, 0));
  }
  // Not from inside send(): the owner's handler that called send() may still be running.
  EXPECT_TRUE(why.empty());
  EXPECT_EQ(transport.connection_count(), 0u);
  transport.send(1, base::Bytes(20, 0));  // a connection that is gone: ignored
  for (int i = 0; i < 50 && why.empty(); ++i) {
    io.run_one_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(why.size(), 1u);
  EXPECT_EQ(why[0], "output queue full (the proxy does not read)");
}

// The validation server's conversation answers a PDU from inside the received handler; when
// that answer overflows the queue, the disconnected handler must come later, on its own turn,
// or the conversation would erase the connection it is working on.
TEST(SrxTransportLimits, AnOverflowInsideTheReceivedHandlerIsReportedAfterIt) {
  asio::io_context io;
  SrxTransport* transport_ptr = nullptr;
  bool in_received = false;
  bool reentered = false;
  std::vector<std::string> why;
  SrxTransport transport(io,
                         one_connection(
                             [&](SrxTransport::ConnectionId id, const srx::SrxPdu&) {
                               in_received = true;
                               for (int i = 0; i < 10; ++i) {
                                 transport_ptr->send(id, base::Bytes(20, 0));
                               }
                               in_received = false;
                             },
                             [&](SrxTransport::ConnectionId, const std::string& w) {
                               reentered = reentered || in_received;
                               why.push_back(w);
                             }),
                         SrxTransport::Options{.max_queued_bytes = 100});
  transport_ptr = &transport;
  asio::io_context client_io;
  tcp::socket client(client_io);
  connect_client(io, transport, client);
  const base::Bytes hello = encode(srx::test::hello_pdu(7, 65001));
  asio::write(client, asio::buffer(hello));
  for (int i = 0; i < 100 && why.empty(); ++i) {
    io.run_one_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(why.size(), 1u);
  EXPECT_FALSE(reentered);
  EXPECT_EQ(why[0], "output queue full (the proxy does not read)");
}

TEST(SrxTransportLimits, NoHandlerRunsAfterTheTransportIsGone) {
  asio::io_context io;
  int disconnected = 0;
  {
    SrxTransport transport(io,
                           one_connection(ignore_pdu, [&](SrxTransport::ConnectionId,
                                                          const std::string&) { ++disconnected; }),
                           SrxTransport::Options{.max_queued_bytes = 10});
    asio::io_context client_io;
    tcp::socket client(client_io);
    connect_client(io, transport, client);
    transport.send(1, base::Bytes(20, 0));  // over the limit: dropped, the report posted
  }
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
  EXPECT_EQ(disconnected, 0);
}

}  // namespace
}  // namespace bgpsecd::validation_server
