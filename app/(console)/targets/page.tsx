import { TargetsPage } from "@/components/targets/targets-page.tsx";

export const metadata = { title: "Targets" };

export default function Page() {
  return <TargetsPage />;
}
