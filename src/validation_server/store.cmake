# SPDX-License-Identifier: BSD-2-Clause
# The update store and the server side of the SRx proxy conversation (pure, no I/O).
list(APPEND VSERVER_SRCS update_store.cpp conversation.cpp conversation_updates.cpp)
