// The HTTP engine's parsing on its own, no sockets: request parsing and its
// limits, strict field values and Host, byte ranges, and the name grammar the
// router applies.
#include <catch2/catch.hpp>

#include "mirror/http/byte_ranges.hpp"
#include "mirror/http/request_parser.hpp"
#include "mirror/server/names.hpp"

using namespace sealift;
using namespace sealift::mirror::http;
using namespace sealift::mirror::server;  // the name rules the router applies

TEST_CASE("request parser: request line, headers, body, limits") {
    Request r;
    ParserLimits limits;
    auto ok = parse_request("GET /v2/a/tags/list?n=1 HTTP/1.1\r\nHost: x\r\nX-Thing:  v \r\n\r\nrest", limits, r);
    REQUIRE(ok.status == ParseResult::complete);
    CHECK(ok.consumed == std::string("GET /v2/a/tags/list?n=1 HTTP/1.1\r\nHost: x\r\nX-Thing:  v \r\n\r\n").size());
    CHECK(r.path == "/v2/a/tags/list");
    CHECK(r.query_param("n") == "1");
    CHECK(r.header("x-thing") == "v");
    CHECK(parse_request("GET / HTTP/1.1\r\nHost: x\r\n", limits, r).status == ParseResult::incomplete);
    CHECK(percent_decode("a%2Fb%3a+c", true) == "a/b: c");
    CHECK(percent_decode("a+b", false) == "a+b");
    CHECK_FALSE(percent_decode("a%zz", false));
    CHECK_FALSE(percent_decode("a%4", false));
    CHECK_FALSE(percent_decode("a%-1", false));
    REQUIRE(parse_request("GET /x?ns=host%3A5000&ns=second&bad=%G0 HTTP/1.1\r\nHost: x\r\n\r\n", limits, r).status ==
            ParseResult::complete);
    CHECK(r.query_param("ns") == "host:5000");
    CHECK(r.query_params("ns") == std::vector<std::string>{"host:5000", "second"});
    CHECK_FALSE(r.query_param("bad"));

    auto body = parse_request("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcNEXT", limits, r);
    CHECK(body.status == ParseResult::complete);
    CHECK(r.body == "abc");
    auto waiting = parse_request("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nab", limits, r);
    CHECK(waiting.status == ParseResult::incomplete);
    CHECK(waiting.wanted == std::string("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").size());
    CHECK(parse_request("PATCH /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", limits, r).skipped_body);
    auto over = parse_request("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", limits, r);
    CHECK(over.skipped_body);
    CHECK(over.body_over_limit);

    auto expect_error = [&](const std::string& input, int status, const std::string& reason) {
        auto e = parse_request(input, limits, r);
        INFO(input.substr(0, 60));
        CHECK(e.status == ParseResult::error);
        CHECK(e.error_status == status);
        CHECK_THAT(e.error_reason, Catch::Contains(reason));
    };
    expect_error("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 414, "request line");
    expect_error("GET /" + std::string(9000, 'a'), 414, "request line");  // before its end arrives
    expect_error("GET / HTTP/1.1\r\nX: " + std::string(17000, 'a') + "\r\n\r\n", 431, "header section");
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
    expect_error(many + "\r\n", 431, "header fields");
    expect_error("GET / HTTP/2.0\r\n\r\n", 505, "HTTP/1.0 and HTTP/1.1");
    expect_error("GET http://evil/ HTTP/1.1\r\n\r\n", 400, "origin-form");
    expect_error("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400, "malformed header");
    expect_error("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", 400, "folding");
    expect_error("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400,
                 "conflicting Content-Length");
    expect_error("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "gzip");

    // Empty lines before a request are skipped, but a stream of them is no request.
    CHECK(parse_request("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", limits, r).status == ParseResult::complete);
    std::string empty_lines;
    for (int i = 0; i < 5000; ++i) empty_lines += "\r\n";
    expect_error(empty_lines, 400, "empty lines before the request line");
}

TEST_CASE("request parser: control characters in values, bare LF line ends and a missing or repeated Host are 400") {
    Request r;
    ParserLimits limits;
    auto expect_error = [&](const std::string& input, const std::string& reason) {
        auto e = parse_request(input, limits, r);
        INFO(input);
        CHECK(e.status == ParseResult::error);
        CHECK(e.error_status == 400);
        CHECK_THAT(e.error_reason, Catch::Contains(reason));
    };
    // A bare CR would let "Content-Length: 33" hide inside a value a front proxy passes on.
    expect_error("GET / HTTP/1.1\r\nHost: x\r\nX: a\rContent-Length: 33\r\n\r\n", "control character");
    expect_error(std::string("GET / HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n", 35), "control character");
    expect_error(
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\x01"
        "b\r\n\r\n",
        "control character");
    expect_error("GET / HTTP/1.1\r\nHost: x\r\nX: a\x7f\r\n\r\n", "control character");
    expect_error("GET / HTTP/1.1\r\nHost: x\nX: 1\r\n\r\n", "bare LF");
    expect_error("GET / HTTP/1.1\r\nHost: x\r\n\n", "bare LF");
    expect_error("GET / HTTP/1.1\nHost: x\r\n\r\n", "bare LF");
    expect_error("GET / HTTP/1.1\r\n\r\n", "needs a Host");
    expect_error("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host");
    expect_error("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", "more than one Host");
    // Tabs, spaces and obs-text are field content; HTTP/1.0 may leave Host out.
    CHECK(parse_request("GET / HTTP/1.1\r\nHost: x\r\nX: a\tb c\xff\r\n\r\n", limits, r).status ==
          ParseResult::complete);
    CHECK(r.header("x") == "a\tb c\xff");
    CHECK(parse_request("GET / HTTP/1.0\r\n\r\n", limits, r).status == ParseResult::complete);
}

TEST_CASE("byte ranges: single, suffix, open-ended, multiple, unsatisfiable, ignored") {
    auto r = parse_range("bytes=0-9", 100);
    REQUIRE(r.kind == RangeRequest::partial);
    CHECK((r.ranges[0].first == 0 && r.ranges[0].last == 9));
    r = parse_range("bytes=-10", 100);
    CHECK((r.ranges[0].first == 90 && r.ranges[0].last == 99));
    r = parse_range("bytes=-1000", 100);
    CHECK((r.ranges[0].first == 0 && r.ranges[0].last == 99));
    r = parse_range("bytes=95-", 100);
    CHECK((r.ranges[0].first == 95 && r.ranges[0].last == 99));
    r = parse_range("bytes=90-200", 100);
    CHECK(r.ranges[0].last == 99);
    r = parse_range("bytes=0-0, 5-6 ,200-300", 100);
    CHECK(r.ranges.size() == 2);
    CHECK(parse_range("bytes=100-", 100).kind == RangeRequest::unsatisfiable);
    CHECK(parse_range("bytes=-0", 100).kind == RangeRequest::unsatisfiable);
    CHECK(parse_range("bytes=5-1", 100).kind == RangeRequest::whole);
    CHECK(parse_range("items=0-1", 100).kind == RangeRequest::whole);
    CHECK(parse_range("bytes=a-b", 100).kind == RangeRequest::whole);
    std::string many = "bytes=0-0";
    for (int i = 1; i < 40; ++i) many += "," + std::to_string(i) + "-" + std::to_string(i);
    CHECK(parse_range(many, 100).kind == RangeRequest::whole);
    // Overlapping ranges asking for more than the whole resource: it is sent once, whole.
    CHECK(parse_range("bytes=0-,0-", 100).kind == RangeRequest::whole);
    CHECK(parse_range("bytes=0-59,40-99", 100).kind == RangeRequest::whole);
    CHECK(parse_range("bytes=-100,-1", 100).kind == RangeRequest::whole);
    r = parse_range("bytes=0-49,50-99", 100);
    CHECK(r.kind == RangeRequest::partial);
    CHECK(r.ranges.size() == 2);
    CHECK(parse_range("bytes=0-,", 100).kind == RangeRequest::partial);
}

// Repository names and tags: tests/manifests/reference_test.cpp (the one grammar).
TEST_CASE("namespaces are registry hosts and registry paths split at the last two slashes") {
    CHECK(valid_namespace_host("registry.example.com"));
    CHECK(valid_namespace_host("host:5000"));
    CHECK(valid_namespace_host("[::1]:5000"));
    CHECK(valid_namespace_host("[::1]"));
    CHECK_FALSE(valid_namespace_host("../etc"));
    CHECK_FALSE(valid_namespace_host("a/b"));
    CHECK_FALSE(valid_namespace_host("host:"));
    CHECK_FALSE(valid_namespace_host("a..b"));
    // The rules of manifests::domain_problem, which this copied loosely before.
    CHECK_FALSE(valid_namespace_host(""));
    CHECK_FALSE(valid_namespace_host("[::1]:"));
    CHECK_FALSE(valid_namespace_host("[]"));
    CHECK_FALSE(valid_namespace_host("host:99999"));
    CHECK_FALSE(valid_namespace_host("a-.example.com"));
    CHECK_FALSE(valid_namespace_host(std::string(252, 'a') + ".com"));
    auto p = split_registry_path("/v2/a/manifests/b/manifests/1.0");
    REQUIRE(p);
    CHECK(p->name == "a/manifests/b");
    CHECK(p->kind == "manifests");
    CHECK(p->reference == "1.0");
    CHECK_FALSE(split_registry_path("/v2/a"));
}
