"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useErrorText } from "@/lib/errors";
import { useWon } from "@/lib/format";
import { keys, orderQuery } from "@/lib/queries";
import { trpc, type OrderView } from "@/lib/trpc";
import { Alert, Button, Dialog, Skeleton } from "../ui";
import { pastCancelling } from "./status";

/**
 * The cancel button, shown only while the order context says cancelling is allowed
 * (order.get → canCustomerCancel, fetched again on every live change of the order); once it is
 * not, the reason instead.
 */
export function CancelSection({ view }: { view: OrderView }) {
  const t = useTranslations("order");
  const won = useWon();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const rules = useQuery(orderQuery(view.orderId));
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const cancel = useMutation({
    mutationFn: () => trpc.order.cancel.mutate({ orderId: view.orderId }),
    onSuccess: () => {
      setConfirming(false);
      setFailure(null);
      void qc.invalidateQueries({ queryKey: keys.order(view.orderId) });
    },
    onError: (err) => {
      setConfirming(false);
      setFailure(errorText(err));
      void qc.invalidateQueries({ queryKey: keys.order(view.orderId) });
    },
  });

  if (view.status === "CANCELLED" || view.status === "DELIVERED") return null;
  const canCancel = rules.data?.canCustomerCancel === true;
  const refused = rules.data?.canCustomerCancel === false && pastCancelling.includes(rules.data.status as OrderView["status"]);

  return (
    <section aria-labelledby="cancel-heading" className="rounded-2xl border border-slate-200 bg-white p-5 sm:p-6">
      <h2 id="cancel-heading" className="text-lg font-bold">
        {t("cancelTitle")}
      </h2>
      {failure && (
        <div className="mt-3">
          <Alert>{failure}</Alert>
        </div>
      )}
      {rules.isPending ? (
        <Skeleton className="mt-3 h-11 w-40" />
      ) : cancel.isSuccess ? (
        <p className="mt-2 text-sm text-slate-500">{t("cancelling")}</p>
      ) : canCancel ? (
        <>
          <p className="mt-1 text-sm text-slate-600">{t("cancelAllowedHint")}</p>
          <Button variant="danger" className="mt-4" onClick={() => setConfirming(true)} busy={cancel.isPending} data-testid="cancel-order">
            {cancel.isPending ? t("cancelling") : t("cancelButton")}
          </Button>
        </>
      ) : refused ? (
        <p className="mt-2 text-sm text-slate-600" data-testid="cancel-refused">
          {t("cancelNotAllowed")}
        </p>
      ) : null}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("cancelConfirmTitle")}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t("cancelKeep")}
            </Button>
            <Button variant="danger" onClick={() => cancel.mutate()} busy={cancel.isPending} data-testid="confirm-cancel">
              {t("cancelConfirm")}
            </Button>
          </>
        }
      >
        <p>{t("cancelConfirmBody", { amount: won(view.totalKrw ?? 0) })}</p>
      </Dialog>
    </section>
  );
}
