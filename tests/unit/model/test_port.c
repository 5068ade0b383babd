/* SPDX-License-Identifier: MIT */
/* test_port.c — CreatePort, DeletePort, ConnectPort, DisconnectPort. */
#include "helpers.h"

#include "model/state.h"

START_TEST(create_port)
{
    uint64_t a = running_child(), b = running_child();
    const uint64_t M = HV_PORT_TYPE_MESSAGE;
    ck_assert_uint_eq(S(a, HVCALL_CREATE_PORT, a, 1, b, M, 0, 0),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, 42, 1, b, M, 0, 0),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, 42, M, 0, 0),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, 3, 0, 0),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, M, cfg.sints, 0),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, M, 0, cfg.vps),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 0, b, M, 0, 0),
                      HV_STATUS_INVALID_PORT_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, HV_PORT_ID_MAX + 1ull, b, M,
                        0, 0),
                      HV_STATUS_INVALID_PORT_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, M, 0, 0),
                      HV_STATUS_SUCCESS);
    ck_assert_int_ge(model_port_find(&cfg, &st, a, 1), 0);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, M, 0, 0),
                      HV_STATUS_INVALID_PORT_ID); /* taken */
    for (uint32_t i = 2; i <= cfg.ports; i++)
        ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, i, b, M, 0, 0),
                          HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 100, b, M, 0, 0),
                      HV_STATUS_INSUFFICIENT_MEMORY);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, b), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, b, 1, a, M, 0, 0),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(delete_port)
{
    uint64_t a = running_child(), b = running_child();
    message_channel(a, 1, b, 9, 0);
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 9, 1, 0, 0), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(a, HVCALL_DELETE_PORT, a, 1), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PORT, 42, 1),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PORT, a, 2), HV_STATUS_INVALID_PORT_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PORT, a, 1), HV_STATUS_SUCCESS);
    /* its connection went with it; the accepted message did not */
    ck_assert_int_lt(model_conn_find(&cfg, &st, b, 9), 0);
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 9, 1, 0, 0),
                      HV_STATUS_INVALID_CONNECTION_ID);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, 0), HV_STATUS_SUCCESS);
}
END_TEST

START_TEST(connect_port)
{
    uint64_t a = running_child(), b = running_child(), c = running_child();
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, HV_PORT_TYPE_MESSAGE,
                        0, 0),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_CONNECT_PORT, b, 1, a, 1),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, 42, 1, a, 1),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, b, 1, 42, 1),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, b, 1, a, 2),
                      HV_STATUS_INVALID_PORT_ID); /* no such port */
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, c, 1, a, 1),
                      HV_STATUS_INVALID_PORT_ID); /* port does not admit c */
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, b, 0, a, 1),
                      HV_STATUS_INVALID_CONNECTION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, b, 1, a, 1), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, b, 1, a, 1),
                      HV_STATUS_INVALID_CONNECTION_ID); /* taken */
    for (uint32_t i = 2; i <= cfg.connections; i++)
        ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, b, i, a, 1),
                          HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, b, 100, a, 1),
                      HV_STATUS_INSUFFICIENT_MEMORY);
}
END_TEST

START_TEST(disconnect_port)
{
    uint64_t a = running_child(), b = running_child();
    message_channel(a, 1, b, 3, 0);
    ck_assert_uint_eq(S(b, HVCALL_DISCONNECT_PORT, b, 3), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_DISCONNECT_PORT, 42, 3),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_DISCONNECT_PORT, b, 4),
                      HV_STATUS_INVALID_CONNECTION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_DISCONNECT_PORT, b, 3), HV_STATUS_SUCCESS);
    ck_assert_int_lt(model_conn_find(&cfg, &st, b, 3), 0);
    ck_assert_int_ge(model_port_find(&cfg, &st, a, 1), 0); /* port stays */
}
END_TEST

Suite *suite_port(void)
{
    Suite *s = suite_create("port");
    TCase *t = tcase_create("calls");
    tcase_add_checked_fixture(t, fx_setup, NULL);
    tcase_add_test(t, create_port);
    tcase_add_test(t, delete_port);
    tcase_add_test(t, connect_port);
    tcase_add_test(t, disconnect_port);
    suite_add_tcase(s, t);
    return s;
}
