/* SPDX-License-Identifier: MIT */
#pragma once
#define PARTITA_VERSION "0.1.0"
#ifndef PARTITA_BUILD_KIND
#define PARTITA_BUILD_KIND "micro"
#endif
